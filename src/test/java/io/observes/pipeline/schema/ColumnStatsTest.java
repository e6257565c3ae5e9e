package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.Json;
import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnStatsTest {
  private static final CellEncoder ENCODER = new CellEncoder();

  /** Observes values the way staging does: through the encoder. */
  private static ColumnStats observed(Value... values) {
    ColumnStats stats = new ColumnStats();
    for (Value v : values) {
      observe(stats, v);
    }
    return stats;
  }

  private static void observe(ColumnStats stats, Value v) {
    Encoded e = ENCODER.encode(v);
    assertThat(e.isRejected()).as("%s encodes", v).isFalse();
    stats.observe(e.kind(), e.utf8().length, e.number());
  }

  private static Value num(String text) {
    return Value.Numeric.of(text);
  }

  private static Value text(String s) {
    return new Value.Text(s);
  }

  @Test
  void nothingObservedIsUnknown() {
    assertThat(new ColumnStats().type()).isEqualTo(ColumnType.UNKNOWN);
    assertThat(new ColumnStats().values()).isZero();
  }

  @Test
  void integersGetTheNarrowestIntegerType() {
    assertThat(observed(num("1"), num("-5"), num("32767"), num("-32768")).type()).isEqualTo(ColumnType.SMALLINT);
    assertThat(observed(num("1"), num("40000")).type()).isEqualTo(ColumnType.INTEGER);
    assertThat(observed(num("-32769")).type()).isEqualTo(ColumnType.INTEGER);
    assertThat(observed(num("2147483647")).type()).isEqualTo(ColumnType.INTEGER);
    assertThat(observed(num("2147483648")).type()).isEqualTo(ColumnType.BIGINT);
    assertThat(observed(num(BigInteger.TWO.pow(40).toString())).type()).isEqualTo(ColumnType.BIGINT);
    assertThat(observed(num("9223372036854775807")).type()).isEqualTo(ColumnType.BIGINT);
    assertThat(observed(num("9223372036854775808")).type()).isEqualTo(ColumnType.numeric(19, 0));
    assertThat(observed(num("1E+2")).type()).isEqualTo(ColumnType.SMALLINT);
  }

  @Test
  void integersBeyondBigintBecomeNumericThenText() {
    assertThat(observed(num(BigInteger.TEN.pow(25).toString())).type()).isEqualTo(ColumnType.numeric(26, 0));
    assertThat(observed(num("1E+25")).type()).isEqualTo(ColumnType.numeric(26, 0));
    assertThat(observed(num(BigInteger.TEN.pow(37).toString())).type()).isEqualTo(ColumnType.numeric(38, 0));

    String fortyOne = BigInteger.TEN.pow(40).toString();
    ColumnType t = observed(num(fortyOne), num("7")).type();
    assertThat(t.family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(t.length()).isGreaterThanOrEqualTo(fortyOne.length());
  }

  @Test
  void exponentsAtTheEndsOfIntNeverOverflowTheDigitCount() {
    // 1e2147483647 has 2^31 integer digits: counted in an int, they came out 0 and the column NUMERIC(1,0).
    ColumnStats huge = new ColumnStats();
    huge.observe(Kind.INTEGER, 12, new BigDecimal("1e2147483647"));
    assertThat(huge.type().family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(huge.fitsIn(ColumnType.numeric(38, 0))).isFalse();
    assertThat(huge.fitsIn(ColumnType.BIGINT)).isFalse();

    ColumnStats tiny = new ColumnStats();
    tiny.observe(Kind.DECIMAL, 13, new BigDecimal("-1e-2147483647"));
    assertThat(tiny.type().family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(tiny.fitsIn(ColumnType.numeric(38, 37))).isFalse();
    assertThat(huge.copy().merge(tiny).type().family()).isEqualTo(ColumnType.Family.VARCHAR);
  }

  @Test
  void decimalsGetPrecisionAndScale() {
    assertThat(observed(num("1.50")).type()).isEqualTo(ColumnType.numeric(3, 2));
    assertThat(observed(num("1.5"), num("-123.25")).type()).isEqualTo(ColumnType.numeric(5, 2));
    assertThat(observed(num("0.001")).type()).isEqualTo(ColumnType.numeric(3, 3));
    // An integer next to decimals: digits of both.
    assertThat(observed(num("40000"), num("0.25")).type()).isEqualTo(ColumnType.numeric(7, 2));
    // Too many fractional digits for NUMERIC: text.
    assertThat(observed(num("1E-130")).type().family()).isEqualTo(ColumnType.Family.VARCHAR);
  }

  @Test
  void mixedKindsBecomeVarcharRoundedToAPowerOfTwo() {
    ColumnStats small = observed(num("42"), text("abc"));
    assertThat(small.type()).isEqualTo(ColumnType.varcharExactly(16));
    assertThat(small.exactType()).isEqualTo(ColumnType.varcharExactly(3));

    ColumnStats longer = observed(num("42"), text("x".repeat(20)));
    assertThat(longer.type()).isEqualTo(ColumnType.varcharExactly(32));
    assertThat(longer.exactType()).isEqualTo(ColumnType.varcharExactly(20));

    ColumnStats multiByte = observed(num("1"), text("é".repeat(40))); // 80 bytes
    assertThat(multiByte.type()).isEqualTo(ColumnType.varcharExactly(128));

    assertThat(observed(new Value.Bool(true), num("1")).type().family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(observed(new Value.Floating(1.5), num("1")).type().family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(observed(text("2024-01-02T03:04:05Z"), text("yesterday")).type().family())
        .isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(observed(text("2024-01-02T03:04:05Z"), num("5")).type().family()).isEqualTo(ColumnType.Family.VARCHAR);
  }

  @Test
  void singleKindsMapToTheirType() {
    assertThat(observed(text("2024-01-02T03:04:05Z"), text("2024-01-02T03:04:05.5+05:30")).type())
        .isEqualTo(ColumnType.TIMESTAMPTZ);
    assertThat(observed(new Value.Bool(true), new Value.Bool(false)).type()).isEqualTo(ColumnType.BOOLEAN);
    assertThat(observed(new Value.Floating(0.1)).type()).isEqualTo(ColumnType.DOUBLE);
    assertThat(observed(text("hello")).type()).isEqualTo(ColumnType.varcharExactly(16));
    // Loose date strings are never timestamps.
    assertThat(observed(text("2024-01-02")).type().family()).isEqualTo(ColumnType.Family.VARCHAR);
  }

  @Test
  void integersAndDecimalsTogetherTakeTheDigitsOfTheirValues() {
    ColumnStats all = observed(num("1"), num("40000"), num("-2.5"), num("123456.789"));
    assertThat(all.type()).isEqualTo(ColumnType.numeric(9, 3));
    assertThat(all.intDigits()).isEqualTo(6);
    assertThat(all.scale()).isEqualTo(3);
  }

  @Test
  void mergeEqualsObservingEverythingInOne() {
    List<Value> values = new ArrayList<>(List.of(
        num("1"), num("70000"), num("1.25"), num("-3"), text("hello world"), num("5000000000"),
        new Value.Bool(true), text("2024-01-02T03:04:05Z"), num("0.000001")));
    for (int split = 0; split <= values.size(); split++) {
      ColumnStats left = observed(values.subList(0, split).toArray(Value[]::new));
      ColumnStats right = observed(values.subList(split, values.size()).toArray(Value[]::new));
      ColumnStats all = observed(values.subList(0, split).toArray(Value[]::new));
      values.subList(split, values.size()).forEach(v -> observe(all, v));
      ColumnStats merged = left.copy().merge(right);
      ColumnStats mergedOtherWay = right.copy().merge(left);
      for (ColumnStats m : List.of(merged, mergedOtherWay)) {
        assertThat(m.type()).isEqualTo(all.type());
        assertThat(m.exactType()).isEqualTo(all.exactType());
        assertThat(m.values()).isEqualTo(values.size());
        assertThat(m.kinds()).isEqualTo(all.kinds());
        assertThat(m.maxBytes()).isEqualTo(all.maxBytes());
        assertThat(m.intDigits()).isEqualTo(all.intDigits());
        assertThat(m.scale()).isEqualTo(all.scale());
        assertThat(m.integerRank()).isEqualTo(all.integerRank());
      }
    }
    // Numbers only: merge of partial stats gives the numeric type of all.
    ColumnStats a = observed(num("40000"));
    ColumnStats b = observed(num("0.25"));
    assertThat(a.copy().merge(b).type()).isEqualTo(observed(num("40000"), num("0.25")).type());
  }

  @Test
  void copyIsIndependent() {
    ColumnStats original = observed(num("1"));
    ColumnStats copy = original.copy();
    observe(copy, text("now text"));
    assertThat(original.type()).isEqualTo(ColumnType.SMALLINT);
    assertThat(copy.type().family()).isEqualTo(ColumnType.Family.VARCHAR);
  }

  @Test
  void jsonRoundTripKeepsTheType() throws Exception {
    List<ColumnStats> samples = List.of(
        new ColumnStats(),
        observed(num("1")),
        observed(num("40000")),
        observed(num(BigInteger.TWO.pow(40).toString())),
        observed(num(BigInteger.TEN.pow(25).toString())),
        observed(num(BigInteger.TEN.pow(40).toString())),
        observed(num("1.50")),
        observed(num("42"), text("some text")),
        observed(text("2024-01-02T03:04:05Z")),
        observed(new Value.Bool(false)),
        observed(new Value.Floating(2.5)));
    for (ColumnStats s : samples) {
      String json = Json.mapper().writeValueAsString(s);
      ColumnStats back = Json.mapper().readValue(json, ColumnStats.class);
      assertThat(back.type()).as(json).isEqualTo(s.type());
      assertThat(back.exactType()).as(json).isEqualTo(s.exactType());
      assertThat(back.values()).isEqualTo(s.values());
      assertThat(back.kinds()).isEqualTo(s.kinds());
    }
  }
  @Test
  void everyObservedValueFitsTheExactType() {
    List<Value> values = List.of(num("1"), num("40000"), num("-2.5"), num("123456.789"));
    ColumnStats all = observed(values.toArray(Value[]::new));
    for (Value v : values) {
      assertThat(observed(v).fitsIn(all.type())).as("%s fits %s", v, all.type()).isTrue();
    }
    assertThat(all.type()).isEqualTo(ColumnType.numeric(9, 3));
  }


  @Test
  void wholeNumbersAndShortTextFitDeclaredColumnsByTheirDigitsAndBytes() {
    assertThat(observed(num("1")).fitsIn(ColumnType.numeric(3, 2))).isTrue();
    assertThat(observed(num("123")).fitsIn(ColumnType.numeric(3, 2))).isFalse();
    assertThat(observed(num("5")).fitsIn(ColumnType.varcharExactly(4))).isTrue();
    assertThat(observed(new Value.Text("hello")).fitsIn(ColumnType.varcharExactly(4))).isFalse();
    assertThat(observed(num("40000")).fitsIn(ColumnType.SMALLINT)).isFalse();
    assertThat(observed(new Value.Text("x")).fitsIn(ColumnType.INTEGER)).isFalse();
  }
}
