package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import io.observes.warehouse.ProfileRequest;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.TableProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every publish profiles its tables into the run log (rows, NULLs per column, distinct row ids, a
 * child table's orphans, types and lineage), and the profile's one scan per table counts what was
 * made to break: a repeated key, a child row whose parent is gone. Runs in both dialects.
 */
class TableProfileTest extends PipelineStandIns {
  static SourceRecord record(int i) {
    String json = "{\"id\": \"v-" + i + "\", \"title\": " + (i % 4 == 0 ? "null" : "\"t" + i + "\"") + ", \"count\": " + i
        + ", \"findings\": [{\"url\": \"https://x/" + i + "\"}, {\"url\": null}]}";
    return new SourceRecord("vulns", List.of("v-" + i), (Value.Obj) JsonValues.parse(json));
  }

  @Test
  void aPublishRecordsOneRowPerTableAndColumnWithLineage() throws Exception {
    Pipeline p = pipeline("profiled");
    p.run(new RunId("r1"), IntStream.range(0, 40).mapToObj(TableProfileTest::record), n -> {});

    Map<String, Map<String, String>> tables = pg.rows("SELECT * FROM observes_meta.table_profiles WHERE job = 'profiled'")
        .stream().collect(Collectors.toMap(r -> r.get("table_name"), r -> r));
    assertThat(tables.get("vulns")).containsEntry("run_id", "r1").containsEntry("target", "profiled")
        .containsEntry("row_count", "40").containsEntry("key_column", "_observes_id").containsEntry("key_distinct", "40")
        .containsEntry("orphans", null).containsEntry("parent_table", null);
    // A child's ids follow from its parent's (PublishedProfiles.requests): only its orphans are counted.
    assertThat(tables.get("vulns__findings")).containsEntry("row_count", "80").containsEntry("key_column", null)
        .containsEntry("key_distinct", null).containsEntry("parent_table", "vulns").containsEntry("orphans", "0");
    assertThat(Long.parseLong(tables.get("vulns").get("profile_ms"))).isNotNegative();
    // A swap published exactly the staged files: rows and NULLs come from their counts.
    assertThat(tables.get("vulns")).containsEntry("counts_from", "staged");
    Map<String, Map<String, String>> columns = pg.rows("SELECT * FROM observes_meta.column_profiles WHERE job = 'profiled' "
        + "AND table_name = 'vulns'").stream().collect(Collectors.toMap(r -> r.get("column_name"), r -> r));
    assertThat(columns.get("title")).containsEntry("nulls", "10").containsEntry("lineage", "title")
        .containsEntry("column_type", "VARCHAR(16)");
    assertThat(columns.get("count")).containsEntry("nulls", "0").containsEntry("column_type", "SMALLINT");
    assertThat(columns.get("_observes_id").get("lineage")).startsWith("derived: row id");
    assertThat(Integer.parseInt(tables.get("vulns").get("column_count"))).isEqualTo(columns.size());

    java.io.StringWriter shown = new java.io.StringWriter();
    new io.observes.jobs.quality.ProfileView("profiled", warehouse.runLog().profiles("profiled", Instant.EPOCH, Optional.empty()))
        .print(new java.io.PrintWriter(shown));
    assertThat(shown.toString()).contains("40 distinct _observes_id; rows and NULLs from the staged files")
        .containsPattern("READ MS COUNTS\\s+r1\\s+\\S+ \\S+\\s+40\\s+40\\s+-\\s+\\d+ staged");
    List<RecordedProfile> read = warehouse.runLog().profiles("profiled", Instant.EPOCH, Optional.of("vulns__findings"));
    assertThat(read).singleElement().satisfies(r -> {
      assertThat(r.run()).isEqualTo("r1");
      assertThat(r.profile().column("url").orElseThrow().nulls()).isEqualTo(40);
      assertThat(r.profile().column("url").orElseThrow().lineage()).isEqualTo("findings[].url");
    });
  }

  @Test
  void aMergeProfilesTheTargetAsItIsAfterTheMerge() throws Exception {
    StreamSpec items = StreamSpec.of("items", WriteMode.MERGE, "id");
    Pipeline p = new Pipeline(new Target("merging", "merging"), new Streams(List.of(items)), s3.store(), warehouse,
        settings());
    p.run(new RunId("m1"), Stream.of(items.record((Value.Obj) JsonValues.parse("{\"id\": \"a\", \"tags\": [\"x\", \"y\"]}")),
        items.record((Value.Obj) JsonValues.parse("{\"id\": \"b\", \"tags\": [\"z\"]}"))), n -> {});
    p.run(new RunId("m2"), Stream.of(items.record((Value.Obj) JsonValues.parse("{\"id\": \"c\", \"tags\": [\"w\"]}"))), n -> {});

    // The second run merged one record in: its profile is of the whole target table, not of what it staged.
    assertThat(warehouse.runLog().profiles("merging", Instant.EPOCH, Optional.empty()))
        .extracting(r -> r.run() + " " + r.profile().table() + " " + r.profile().rows() + " " + r.profile().orphans())
        .containsExactlyInAnyOrder("m1 items 2 null", "m1 items__tags 3 0", "m2 items 3 null", "m2 items__tags 4 0");
  }

  @Test
  void oneScanCountsARepeatedKeyAndRowsWithoutAParent() throws Exception {
    Pipeline p = pipeline("broken");
    p.run(new RunId("r1"), IntStream.range(0, 10).mapToObj(TableProfileTest::record), n -> {});
    // A key written twice, and two child rows whose parent is gone (one row's children outlive it).
    pg.execute("INSERT INTO broken.vulns SELECT * FROM broken.vulns WHERE id = 'v-1'; "
        + "DELETE FROM broken.vulns WHERE id = 'v-2'");

    List<TableProfile> profiles = warehouse.profile("broken", List.of(ProfileRequest.root("vulns", "_observes_id"),
        ProfileRequest.child("vulns__findings", "_observes_id", "_parent_id", "vulns", "_observes_id"),
        ProfileRequest.plain("no_such_table")));

    assertThat(profiles).extracting(TableProfile::table).containsExactly("vulns", "vulns__findings");
    assertThat(profiles.get(0).rows()).isEqualTo(10);
    assertThat(profiles.get(0).keyDistinct()).isEqualTo(9);
    // The repeated parent key does not count its children twice.
    assertThat(profiles.get(1).rows()).isEqualTo(20);
    assertThat(profiles.get(1).orphans()).isEqualTo(2);
    assertThat(profiles.get(1).took()).isPositive();
  }

  @Test
  void aParentWithUniqueKeysCountsTheOrphansOfEachChildRowOnce() throws Exception {
    Pipeline p = pipeline("orphaned");
    p.run(new RunId("r1"), IntStream.range(0, 10).mapToObj(TableProfileTest::record), n -> {});
    // The parent's keys stay unique (its table is joined as it is, without DISTINCT); one parent is gone.
    pg.execute("DELETE FROM orphaned.vulns WHERE id = 'v-3'");

    List<TableProfile> profiles = warehouse.profile("orphaned", List.of(
        ProfileRequest.child("vulns__findings", null, "_parent_id", "vulns", "_observes_id"),
        ProfileRequest.root("vulns", "_observes_id")));

    assertThat(profiles).extracting(TableProfile::table).containsExactly("vulns__findings", "vulns");
    assertThat(profiles.get(1).keyDistinct()).isEqualTo(9L).isEqualTo(profiles.get(1).rows());
    assertThat(profiles.get(0).rows()).isEqualTo(20);
    assertThat(profiles.get(0).orphans()).isEqualTo(2);
    assertThat(profiles.get(0).keyDistinct()).isNull();
  }

  @Test
  void aRunLogFromBeforeCountsFromGainsTheColumnAndItsProfilesReadAsScans() throws Exception {
    warehouse.runLog().ensure();
    pg.execute("ALTER TABLE observes_meta.table_profiles DROP COLUMN counts_from; "
        + "INSERT INTO observes_meta.table_profiles (job, run_id, table_name, profiled_at, row_count, column_count, profile_ms) "
        + "VALUES ('older', 'o1', 't', now(), 3, 0, 1)");

    warehouse.runLog().ensure();

    assertThat(pg.rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'observes_meta' "
        + "AND table_name = 'table_profiles' AND column_name = 'counts_from'")).singleElement()
        .satisfies(r -> assertThat(r.get("data_type")).isEqualTo("character varying"));
    assertThat(warehouse.runLog().profiles("older", Instant.EPOCH, Optional.empty())).singleElement()
        .satisfies(r -> assertThat(r.profile().countsFrom()).isEqualTo(TableProfile.CountsFrom.SCANNED));
  }

  @Test
  void recordingARunPrunesProfilesOlderThanTheRetention() {
    Instant old = Instant.parse("2026-01-01T00:00:00Z");
    TableProfile t = new TableProfile("t", 3, null, null, null, null,
        List.of(new TableProfile.ColumnProfile("a", "INTEGER", 1, "a")), Duration.ofMillis(5));
    warehouse.runLog().ensure();
    warehouse.runLog().recordProfiles("pruned", "old", "pruned", old, List.of(t), Instant.EPOCH);
    warehouse.runLog().recordProfiles("pruned", "new", "pruned", old.plus(Duration.ofDays(200)), List.of(t),
        old.plus(Duration.ofDays(20)));

    assertThat(warehouse.runLog().profiles("pruned", Instant.EPOCH, Optional.empty())).extracting(RecordedProfile::run)
        .containsExactly("new");
    assertThat(warehouse.runLog().profiles("pruned", Instant.EPOCH, Optional.empty()).get(0).profile().columns())
        .containsExactly(new TableProfile.ColumnProfile("a", "INTEGER", 1, "a"));
  }
}
