package io.observes.pipeline.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.RunId;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.Kind;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.warehouse.ColumnType;
import io.observes.warehouse.StagedCounts;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counts a run's manifests give each table: summed over segments, or none when they cannot be the table's. */
class StagedValuesTest {
  static final RunId RUN = new RunId("r1");
  static final TableKey ITEMS = TableKey.root("items");
  static final TableKey TAGS = new TableKey("items", SourcePath.parse("tags[]"));
  static final Schema SCHEMA = new Schema(List.of(
      new TableSchema(ITEMS, "items", List.of(column("a"), column("b"), column("never"))),
      new TableSchema(TAGS, "items__tags", List.of(column("tags[]"))),
      new TableSchema(StagingPreparer.REJECTED, "_rejected", List.of(column("reason")))));

  static Column column(String path) {
    return new Column(SourcePath.parse(path), path.equals("tags[]") ? "value" : path, ColumnType.varchar(16));
  }

  static ColumnStats values(long n) {
    return new ColumnStats(EnumSet.of(Kind.TEXT), n, 4, 0, 0, 0);
  }

  static Manifest.TableManifest table(TableKey key, long rows, Map<String, ColumnStats> stats) {
    return new Manifest.TableManifest(key.stream(), key.path().toString(), stats == null ? List.of() : List.copyOf(stats.keySet()),
        rows, 0, 100, List.of(), stats);
  }

  static Manifest segment(int index, Manifest.TableManifest... tables) {
    return new Manifest(Manifest.FORMAT, "postgresql", "ZSTD", "etl", "etl", RUN.value(), index, 2, "f", Instant.EPOCH, 10, 0,
        List.of(tables));
  }

  static Map<String, ColumnStats> stats(Object... pathAndValues) {
    Map<String, ColumnStats> stats = new LinkedHashMap<>();
    for (int i = 0; i < pathAndValues.length; i += 2) {
      stats.put((String) pathAndValues[i], values(((Number) pathAndValues[i + 1]).longValue()));
    }
    return stats;
  }

  @Test
  void valuesAreSummedOverSegmentsAndAColumnASegmentLacksCountsNone() {
    Map<String, StagedCounts> counts = StagedValues.of(RUN, SCHEMA, List.of(
        segment(0, table(ITEMS, 5, stats("a", 3, "b", 0)), table(TAGS, 4, stats("tags[]", 4))),
        segment(1, table(ITEMS, 2, stats("b", 2)))));

    assertThat(counts).containsOnlyKeys("items", "items__tags");
    assertThat(counts.get("items")).isEqualTo(new StagedCounts("r1", 7, Map.of("_observes_id", 7L, "a", 3L, "b", 2L,
        "never", 0L)));
    assertThat(counts.get("items__tags")).isEqualTo(new StagedCounts("r1", 4, Map.of("_observes_id", 4L, "_parent_id", 4L,
        "_root_id", 4L, "_index", 4L, "value", 4L)));
  }

  @Test
  void aTableWhoseManifestsCannotBeItsCountsHasNone() {
    // A path the schema lacks, no statistics, more values than rows: each table is scanned instead.
    assertThat(StagedValues.of(RUN, SCHEMA, List.of(segment(0, table(ITEMS, 5, stats("a", 3, "zzz", 1))))))
        .doesNotContainKey("items");
    assertThat(StagedValues.of(RUN, SCHEMA, List.of(segment(0, table(ITEMS, 5, null))))).doesNotContainKey("items");
    assertThat(StagedValues.of(RUN, SCHEMA, List.of(segment(0, table(ITEMS, 1, stats("a", 2)))))).doesNotContainKey("items");
    // A table no segment staged is empty, and says so.
    assertThat(StagedValues.of(RUN, SCHEMA, List.of(segment(0, table(ITEMS, 1, stats("a", 1)))))
        .get("items__tags").rows()).isZero();
  }

  static Manifest.TableManifest withOrphans(Manifest.TableManifest t, Long orphans) {
    return new Manifest.TableManifest(t.stream(), t.path(), t.columns(), t.rows(), t.rejected(), t.bytes(), t.parts(),
        t.stats(), orphans);
  }

  @Test
  void orphansAreSummedOverSegmentsAndASegmentThatDidNotCountThemLeavesThemToTheJoin() {
    Manifest.TableManifest tags = table(TAGS, 4, stats("tags[]", 4));
    Map<String, StagedCounts> counted = StagedValues.of(RUN, SCHEMA, List.of(
        segment(0, table(ITEMS, 5, stats("a", 3)), withOrphans(tags, 1L)), segment(1, withOrphans(tags, 2L))));
    assertThat(counted.get("items__tags").orphans()).isEqualTo(3);
    assertThat(counted.get("items").orphans()).isNull();

    // A manifest written before the count (no orphans) among counted ones: none trusted.
    assertThat(StagedValues.of(RUN, SCHEMA, List.of(segment(0, withOrphans(tags, 0L)), segment(1, tags)))
        .get("items__tags").orphans()).isNull();
    // A child table no segment staged has none.
    assertThat(StagedValues.of(RUN, SCHEMA, List.of(segment(0, table(ITEMS, 1, stats("a", 1)))))
        .get("items__tags").orphans()).isZero();
  }
}
