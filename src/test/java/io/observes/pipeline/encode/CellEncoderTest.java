package io.observes.pipeline.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.schema.Kind;
import io.observes.pipeline.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellEncoderTest {
  private final CellEncoder encoder = new CellEncoder();

  private Encoded text(String s) {
    return encoder.encode(new Value.Text(s));
  }

  private Encoded number(String s) {
    return encoder.encode(Value.Numeric.of(s));
  }

  private static String staged(Encoded e) {
    assertThat(e.isRejected()).as("rejected: %s", e.rejection()).isFalse();
    return new String(e.utf8(), StandardCharsets.UTF_8);
  }

  @Test
  void textIsStagedUnchanged() {
    Encoded e = text("héllo, \"world\"\n\\N");
    assertThat(staged(e)).isEqualTo("héllo, \"world\"\n\\N");
    assertThat(e.kind()).isEqualTo(Kind.TEXT);
    assertThat(e.number()).isNull();
    assertThat(staged(text(""))).isEmpty();
  }

  @Test
  void nulIsRejected() {
    Encoded e = text("ab\u0000c");
    assertThat(e.isRejected()).isTrue();
    assertThat(e.rejection()).contains("NUL");
    assertThat(e.utf8()).isNull();
  }

  @Test
  void unpairedSurrogatesAreRejected() {
    for (String s : List.of("\uD800", "a\uDC00b", "x\uD83D", "\uDE00\uD83D")) {
      Encoded e = text(s);
      assertThat(e.isRejected()).as(s).isTrue();
      assertThat(e.rejection()).contains("surrogate");
    }
    // A proper pair is fine: 4 UTF-8 bytes.
    Encoded emoji = text("\uD83D\uDE00");
    assertThat(staged(emoji)).isEqualTo("😀");
    assertThat(emoji.utf8()).hasSize(4);
  }

  @Test
  void textIsLimitedTo65535Utf8Bytes() {
    assertThat(text("a".repeat(65535)).utf8()).hasSize(65535);
    assertThat(text("a".repeat(65536)).isRejected()).isTrue();
    assertThat(text("a".repeat(65536)).rejection()).contains("65536").contains("65535");
    // Counted in bytes, not characters.
    assertThat(text("€".repeat(21845)).utf8()).hasSize(65535);
    assertThat(text("é".repeat(32768)).isRejected()).isTrue(); // 32768 chars, 65536 bytes
    assertThat(text("😀".repeat(16384)).isRejected()).isTrue(); // 32768 chars, 65536 bytes
    assertThat(text("😀".repeat(16383) + "abc").utf8()).hasSize(65535);
  }

  @Test
  void binaryIsBase64Text() {
    Encoded e = encoder.encode(new Value.Binary(new byte[] {0, 1, 2, (byte) 0xff}));
    assertThat(staged(e)).isEqualTo("AAEC/w==");
    assertThat(e.kind()).isEqualTo(Kind.TEXT);
  }

  @Test
  void booleans() {
    Encoded t = encoder.encode(new Value.Bool(true));
    Encoded f = encoder.encode(new Value.Bool(false));
    assertThat(staged(t)).isEqualTo("true");
    assertThat(staged(f)).isEqualTo("false");
    assertThat(t.kind()).isEqualTo(Kind.BOOLEAN);
  }

  @Test
  void numbersInPlainNotation() {
    Encoded hundred = number("1E+2");
    assertThat(staged(hundred)).isEqualTo("100");
    assertThat(hundred.kind()).isEqualTo(Kind.INTEGER);
    assertThat(hundred.number()).isEqualByComparingTo("100");

    Encoded decimal = number("1.50");
    assertThat(staged(decimal)).isEqualTo("1.50");
    assertThat(decimal.kind()).isEqualTo(Kind.DECIMAL);
    assertThat(decimal.number()).isEqualTo(new BigDecimal("1.50"));

    assertThat(staged(number("-42"))).isEqualTo("-42");
    assertThat(staged(number("1.5E-3"))).isEqualTo("0.0015");
    assertThat(number("1.5E-3").kind()).isEqualTo(Kind.DECIMAL);
    assertThat(staged(number("0"))).isEqualTo("0");
    String thirtyEight = "9".repeat(38);
    assertThat(staged(number(thirtyEight))).isEqualTo(thirtyEight);
  }

  @Test
  void numbersBeyondNumeric38KeepTheirSourceText() {
    String forty = "1234567890123456789012345678901234567890";
    Encoded big = number(forty);
    assertThat(staged(big)).isEqualTo(forty);
    // Only text holds it, so it is a text to the column's statistics.
    assertThat(big.kind()).isEqualTo(Kind.TEXT);
    assertThat(big.number()).isNull();

    Encoded tiny = number("1E-130");
    assertThat(staged(tiny)).isEqualTo("1E-130");
    assertThat(tiny.kind()).isEqualTo(Kind.TEXT);

    assertThat(staged(number("1E+40"))).isEqualTo("1E+40");
    assertThat(staged(encoder.encode(new Value.Numeric(new BigDecimal("1E+40"), "1e40")))).isEqualTo("1e40");
  }

  @Test
  void numbersWithExponentsAtTheEndsOfIntAreKeptAsTheirTextNeverAFailure() {
    // Their plain notation would have 2^31 digits, and precision - scale does not fit an int.
    for (String text : List.of("1e2147483647", "-1e2147483647", "1e-2147483647", "-1e999999999", "9.5e-999999999")) {
      Encoded e = number(text);
      assertThat(staged(e)).as(text).isEqualTo(text);
      assertThat(e.kind()).as(text).isEqualTo(Kind.TEXT);
      assertThat(e.number()).as(text).isNull();
    }
  }

  @Test
  void aNumberNoBigDecimalHoldsIsKeptAsItsText() {
    for (String text : List.of("1e-2147483648", "-1e2147483648", "5E99999999999", "0.5e-99999999999")) {
      Value.Numeric n = Value.Numeric.parse(text);
      assertThat(n.value()).as(text).isNull();
      Encoded e = encoder.encode(n);
      assertThat(staged(e)).isEqualTo(text);
      assertThat(e.kind()).isEqualTo(Kind.TEXT);
    }
    assertThatThrownBy(() -> Value.Numeric.parse("1e")).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void aNumberLongerThanWarehouseTextIsRejectedWithItsLength() {
    String longest = "9".repeat(65_535);
    assertThat(staged(number(longest))).isEqualTo(longest);
    Encoded tooLong = number("9".repeat(65_535 + 1));
    assertThat(tooLong.isRejected()).isTrue();
    assertThat(tooLong.rejection()).contains("65536", "65535");
  }

  @Test
  void floats() {
    Encoded f = encoder.encode(new Value.Floating(1.5));
    assertThat(staged(f)).isEqualTo("1.5");
    assertThat(f.kind()).isEqualTo(Kind.FLOAT);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      Encoded e = encoder.encode(new Value.Floating(bad));
      assertThat(e.isRejected()).as("%s", bad).isTrue();
      assertThat(e.rejection()).contains("finite");
    }
  }

  @Test
  void strictIsoTimestampsWithAnOffset() {
    for (String ts : List.of(
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.123456+05:30",
        "2024-01-02T03:04:05.1-08:00",
        "1999-12-31T23:59:59+14:00")) {
      Encoded e = text(ts);
      assertThat(e.kind()).as(ts).isEqualTo(Kind.TIMESTAMP);
      assertThat(staged(e)).isEqualTo(ts);
    }
  }

  @Test
  void looseOrInvalidDatesStayText() {
    Map<String, String> cases = Map.of(
        "2024-01-02", "a date without time",
        "2024-01-02 03:04:05+00:00", "a space instead of T",
        "2024-13-02T03:04:05Z", "month 13",
        "2024-02-30T03:04:05Z", "February 30",
        "2024-01-02T03:04:05.1234567Z", "seven fractional digits",
        "2024-01-02T03:04:05", "no offset",
        "2024-01-02T03:04:05+0530", "offset without colon",
        "2024-01-02T03:04:05+15:00", "offset beyond 14 hours",
        "2024-01-02T25:04:05Z", "hour 25",
        " 2024-01-02T03:04:05Z", "leading space");
    cases.forEach((ts, why) -> {
      Encoded e = text(ts);
      assertThat(e.kind()).as("%s (%s)", ts, why).isEqualTo(Kind.TEXT);
      assertThat(staged(e)).isEqualTo(ts);
    });
  }

  @Test
  void nonScalarsAreNotEncoded() {
    assertThatThrownBy(() -> encoder.encode(new Value.Obj(Map.of()))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encoder.encode(Value.Array.list(List.of()))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void floatsOutsideRedshiftsDoublePrecisionRangeAreRejected() {
    CellEncoder encoder = new CellEncoder();
    for (double bad : new double[] {Double.MIN_VALUE, -Double.MIN_VALUE, 2.33125e-315, Double.MIN_NORMAL / 2}) {
      assertThat(encoder.encode(new Value.Floating(bad)).rejection()).as("%s", bad).contains("subnormal");
    }
    for (double ok : new double[] {0.0, -0.0, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e-307, Double.MAX_VALUE, -Double.MAX_VALUE}) {
      assertThat(encoder.encode(new Value.Floating(ok)).isRejected()).as("%s", ok).isFalse();
    }
  }

  /** The rule as first written: a pattern, then the JDK's own parser. */
  private static boolean timestampOracle(String s) {
    if (s.length() < 20 || s.length() > 32 || !java.util.regex.Pattern.compile(
        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})").matcher(s).matches()) {
      return false;
    }
    try {
      java.time.OffsetDateTime parsed = java.time.OffsetDateTime.parse(s);
      return parsed.getYear() >= 1 && Math.abs(parsed.getOffset().getTotalSeconds()) <= 14 * 3600;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  @Test
  void theHandWrittenTimestampCheckAgreesWithPatternAndParserOnNearMisses() {
    java.util.Random random = new java.util.Random(99);
    String alphabet = "0123456789-T:.Z+ x";
    int timestamps = 0;
    for (int round = 0; round < 200_000; round++) {
      StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d",
          random.nextInt(10_000), random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62),
          random.nextInt(62)));
      if (random.nextBoolean()) {
        s.append('.').append("1234567".substring(0, random.nextInt(8)));
      }
      s.append(random.nextInt(4) == 0 ? "Z" : String.format(java.util.Locale.ROOT, "%s%02d:%02d",
          random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(70)));
      for (int m = random.nextInt(3); m > 0; m--) {
        int at = random.nextInt(s.length());
        s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = s.toString();
      boolean expected = timestampOracle(text);
      assertThat(CellEncoder.isTimestamp(text)).as(text).isEqualTo(expected);
      timestamps += expected ? 1 : 0;
    }
    assertThat(timestamps).as("some candidates are real timestamps").isGreaterThan(5_000);
  }
}
