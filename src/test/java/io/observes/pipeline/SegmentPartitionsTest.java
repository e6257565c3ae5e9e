package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import io.observes.testing.WarehouseRebuild;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Property: the same records, split into segments in any way, always load and always give the same
 * warehouse content, equal to the records. Columns hold different kinds in different records
 * (integers, decimals, timestamps, free text, booleans, nulls, nested objects and lists), and
 * partitions are random or deliberately one kind per segment, so segments see narrower values than
 * the column they load into.
 */
class SegmentPartitionsTest extends PipelineStandIns {
  static final int RANDOM_PARTITIONS = 16;
  static final int BY_KIND_PARTITIONS = 4;

  /** A record whose kinds depend on {@code kind} (0..3), the rest on the seeded random. */
  static SourceRecord record(int i, int kind, Random r) {
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("id", new Value.Text("item-" + i));
    fields.put("level", switch (kind) {
      case 0 -> Value.Numeric.of(Integer.toString(r.nextInt(2)));
      case 1 -> Value.Numeric.of("0." + r.nextInt(10));
      case 2 -> Value.Numeric.of(Long.toString(r.nextLong()));
      default -> Value.Numeric.of("1234567890123456789012345678.123456789");
    });
    fields.put("when", switch (kind) {
      case 0, 1 -> new Value.Text("2024-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(9) + "T12:00:00.5+05:00");
      case 2 -> new Value.Text("next tuesday, \"maybe\"");
      default -> Value.Null.INSTANCE;
    });
    fields.put("flag", kind == 3 ? new Value.Text("yes") : new Value.Bool(r.nextBoolean()));
    fields.put("note", new Value.Text(switch (r.nextInt(5)) {
      case 0 -> "";
      case 1 -> "\\N";
      case 2 -> "naïve, \"quoted\"\nsecond line 日本 😀";
      case 3 -> "x".repeat(r.nextInt(300));
      default -> "plain " + i;
    }));
    if (kind != 1) {
      fields.put("meta", new Value.Obj(Map.of("owner", new Value.Obj(Map.of("name", new Value.Text("o" + r.nextInt(4)),
          "score", kind == 0 ? Value.Numeric.of("7") : new Value.Text("seven")))))); 
    }
    List<Value> history = new ArrayList<>();
    for (int h = 0; h < r.nextInt(4); h++) {
      history.add(new Value.Obj(Map.of("status", new Value.Text(kind == 2 ? "SAFE" : "VULN"),
          "at", kind == 0 ? new Value.Text("2024-01-01T00:00:00Z") : Value.Numeric.of(Integer.toString(h)))));
    }
    fields.put("history", Value.Array.list(history));
    fields.put("tags", Value.Array.list(kind == 2 ? List.of() : List.of(new Value.Text("t" + kind), Value.Numeric.of("1"))));
    return new SourceRecord("items", List.of("item-" + i), new Value.Obj(fields));
  }

  @Test
  void anySplitIntoSegmentsLoadsTheSameContentEqualToTheRecords() throws Exception {
    Random data = new Random(7);
    List<SourceRecord> records = new ArrayList<>();
    List<Integer> kinds = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      int kind = data.nextInt(4);
      records.add(record(i, kind, data));
      kinds.add(kind);
    }
    Set<String> expected = new TreeSet<>();
    records.forEach(r -> expected.addAll(WarehouseRebuild.facts(r.stream(), r.key().get(0), r.value())));

    Random split = new Random(20261201);
    Set<String> firstTypes = null;
    for (int p = 0; p < RANDOM_PARTITIONS + BY_KIND_PARTITIONS; p++) {
      boolean byKind = p >= RANDOM_PARTITIONS;
      int segments = byKind ? 4 + p % 3 : 1 + split.nextInt(7);
      List<List<SourceRecord>> parts = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        parts.add(new ArrayList<>());
      }
      int offset = split.nextInt(segments);
      for (int i = 0; i < records.size(); i++) {
        int segment = byKind ? (kinds.get(i) + offset) % segments : split.nextInt(segments);
        parts.get(segment).add(records.get(i));
      }
      String name = "split" + p;
      Pipeline pipeline = pipeline(name);
      RunId run = new RunId("r" + p);
      for (int s = 0; s < segments; s++) {
        pipeline.stage(run, new Segment(s, segments), parts.get(s).stream(), Schema.empty(), n -> {}, false);
      }
      pipeline.prepare(run, segments, Schema.empty(), false);
      pipeline.load(run, segments, Optional.empty());
      pipeline.publish(run, segments);

      Set<String> loaded = new TreeSet<>();
      // A boolean in a column that also holds text is stored as its text, by the lattice.
      WarehouseRebuild.facts(pg.jdbcUrl(), name, "id").forEach(f -> loaded.add(f.replaceAll("\\|flag=s:(true|false)$", "|flag=$1")));
      assertThat(loaded).as("partition %d (%d segments%s)", p, segments, byKind ? ", one kind per segment" : "")
          .isEqualTo(expected);
      Set<String> types = new TreeSet<>();
      pg.rows("SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a "
          + "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + name
          + "' AND a.attnum > 0 AND NOT a.attisdropped").forEach(row -> types.add(row.get("t")));
      if (firstTypes == null) {
        firstTypes = types;
        assertThat(types).contains("items.level numeric(37,9)", "items.when character varying(32)",
            "items.flag character varying(16)", "items__history.at character varying(32)");
      } else {
        assertThat(types).as("column types of partition %d", p).isEqualTo(firstTypes);
      }
    }
  }
}
