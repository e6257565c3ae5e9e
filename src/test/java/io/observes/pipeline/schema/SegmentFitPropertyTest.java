package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A column's type is the join of what every segment saw, so whatever way values split into
 * segments, each segment's values fit the column: seeded random values of every kind, split at
 * random and by kind, checked against the joined type (and against it joined with a cached type).
 */
class SegmentFitPropertyTest {
  private static final CellEncoder ENCODER = new CellEncoder();
  private static final ColumnType[] CACHED = {ColumnType.UNKNOWN, ColumnType.SMALLINT, ColumnType.BIGINT,
      ColumnType.numeric(2, 1), ColumnType.numeric(38, 10), ColumnType.TIMESTAMPTZ, ColumnType.varchar(32),
      ColumnType.BOOLEAN, ColumnType.DOUBLE};

  static Value value(Random r, int family) {
    return switch (family) {
      case 0 -> Value.Numeric.of(Integer.toString(r.nextInt(20) - 10));
      case 1 -> Value.Numeric.of(Long.toString(r.nextLong()));
      case 2 -> Value.Numeric.of(new BigDecimal(r.nextInt(100_000)).movePointLeft(r.nextInt(6)).toPlainString());
      case 3 -> Value.Numeric.of("9".repeat(1 + r.nextInt(39)));
      case 4 -> new Value.Text(String.format("20%02d-0%d-1%dT0%d:00:00%s+0%d:00", r.nextInt(99), 1 + r.nextInt(9),
          r.nextInt(9), r.nextInt(9), r.nextBoolean() ? "" : "." + r.nextInt(999_999), r.nextInt(9)));
      case 5 -> new Value.Bool(r.nextBoolean());
      case 6 -> new Value.Floating(r.nextGaussian() * Math.pow(10, r.nextInt(300) - 150));
      case 7 -> new Value.Text("é日😀x".repeat(r.nextInt(30)));
      default -> new Value.Text("t".repeat(r.nextInt(3000)));
    };
  }

  static ColumnStats stats(List<Value> values) {
    ColumnStats stats = new ColumnStats();
    for (Value v : values) {
      Encoded e = ENCODER.encode(v);
      stats.observe(e.kind(), e.utf8().length, e.number());
    }
    return stats;
  }

  @Test
  void everySegmentFitsTheColumnItsValuesJoinedInto() {
    Random random = new Random(20261201);
    int checked = 0;
    for (int round = 0; round < 400; round++) {
      // A column with 1-4 kinds of values, as one DynamoDB attribute has across entity versions.
      int kinds = 1 + random.nextInt(4);
      int[] families = new int[kinds];
      for (int k = 0; k < kinds; k++) {
        families[k] = random.nextInt(9);
      }
      List<Value> values = new ArrayList<>();
      List<Integer> familyOf = new ArrayList<>();
      for (int i = 0; i < 40 + random.nextInt(200); i++) {
        int f = families[random.nextInt(kinds)];
        values.add(value(random, f));
        familyOf.add(f);
      }
      int segments = 1 + random.nextInt(12);
      List<List<Value>> parts = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        parts.add(new ArrayList<>());
      }
      boolean byKind = random.nextBoolean();
      for (int i = 0; i < values.size(); i++) {
        // Split at random, or so that each segment holds one kind (the hard case).
        int s = byKind ? Math.floorMod(familyOf.get(i) * 7919, segments) : random.nextInt(segments);
        parts.get(s).add(values.get(i));
      }
      ColumnStats all = new ColumnStats();
      parts.forEach(p -> all.merge(stats(p)));
      ColumnType cached = CACHED[random.nextInt(CACHED.length)];
      for (ColumnType column : List.of(all.type(), cached.lub(all.type()))) {
        for (List<Value> part : parts) {
          ColumnStats segment = stats(part);
          assertThat(segment.misfit(column)).as("segment %s in column %s", segment, column).isNull();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(2000);
  }

  @Test
  void valuesThatReallyDoNotFitAreRefusedWithWhatWasFound() {
    ColumnStats decimals = stats(List.of(Value.Numeric.of("123.45")));
    assertThat(decimals.misfit(ColumnType.numeric(2, 1))).contains("DECIMAL").contains("3 integer digits")
        .contains("scale 2");
    assertThat(stats(List.of(Value.Numeric.of("1"))).misfit(ColumnType.numeric(2, 1))).isNull();
    assertThat(stats(List.of(new Value.Text("2024-01-01T00:00:00+00:00"))).misfit(ColumnType.varcharExactly(32))).isNull();
    assertThat(stats(List.of(new Value.Text("x".repeat(40)))).misfit(ColumnType.varcharExactly(32)))
        .contains("40 UTF-8 bytes");
    assertThat(stats(List.of(Value.Numeric.of("70000"))).misfit(ColumnType.SMALLINT)).contains("INTEGER");
    assertThat(stats(List.of(new Value.Text("x"))).misfit(ColumnType.BIGINT)).contains("TEXT");
    assertThat(stats(List.of(new Value.Bool(true))).misfit(ColumnType.varcharExactly(5))).isNull();
  }
}
