package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.load.SegmentsIncompleteException;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The whole pipeline on the real stand-ins: s3proxy for S3, embedded PostgreSQL for the warehouse. */
class PipelineIntegrationTest extends PipelineStandIns {
  static SourceRecord record(String id, String json) {
    return new SourceRecord("vulns", List.of(id), (Value.Obj) JsonValues.parse(json));
  }

  static final String FIRST = """
      {"id": "v-1", "title": "quote \\" comma , newline \\n cr \\r end", "empty": "", "nullish": null,
       "marker": "\\\\N", "unicode": "naïve 日本 😀", "count": 42, "big": 123456789012345678901234567890,
       "ratio": 12.50, "ok": true, "seen": "2024-01-02T03:04:05.123456+05:30", "loose": "2024-01-02",
       "bad": "a\\u0000b", "mixed": 1, "meta": {"owner": {"name": "ann", "select": "reserved word"}},
       "tags": ["a", "b"], "Name": "upper", "name": "lower",
       "findings": [{"evidence": {"url": "https://x/1"}, "n": 1}, {"evidence": {"url": "https://x/2"}}]}
      """;
  static final String SECOND = """
      {"id": "v-2", "title": "plain", "count": -7, "mixed": "text", "tags": [], "findings": [{"n": 3}],
       "late": {"field": 1.5}}
      """;

  @Test
  void loadsNestedRecordsExactlyAcrossSegments() throws Exception {
    Pipeline p = pipeline("nested");
    RunId run = new RunId("r1");
    p.stage(run, new Segment(0, 2), Stream.of(record("v-1", FIRST)), Schema.empty(), n -> {}, false);
    p.stage(run, new Segment(1, 2), Stream.of(record("v-2", SECOND)), Schema.empty(), n -> {}, false);
    p.prepare(run, 2, Schema.empty(), false);
    List<TableLoader.TableResult> loaded = p.load(run, 2, Optional.empty()).value();
    Map<String, Long> published = p.publish(run, 2).value();
    // One COPY per column list the segments staged: with nothing cached, the segments' lists of vulns
    // differ (each saw other attributes); tags and _rejected come from one segment each.
    assertThat(loaded).filteredOn(t -> t.table().equals("vulns__tags")).singleElement()
        .satisfies(t -> assertThat(t.copies()).isEqualTo(1));
    assertThat(loaded).allSatisfy(t -> assertThat(t.copies()).isBetween(1, 2));

    assertThat(published).containsEntry("vulns", 2L).containsEntry("vulns__findings", 3L)
        .containsEntry("vulns__tags", 2L).containsEntry("_rejected", 1L);
    assertThat(pg.rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'nested%'"))
        .extracting(r -> r.get("nspname")).containsExactly("nested");

    Map<String, String> v1 = pg.rows("SELECT * FROM nested.vulns WHERE id = 'v-1'").get(0);
    assertThat(v1.get("title")).isEqualTo("quote \" comma , newline \n cr \r end");
    assertThat(v1.get("empty")).isEqualTo("");
    assertThat(v1).containsEntry("nullish", null).containsEntry("bad", null);
    assertThat(v1.get("marker")).isEqualTo("\\N");
    assertThat(v1.get("unicode")).isEqualTo("naïve 日本 😀");
    assertThat(v1.get("count")).isEqualTo("42");
    assertThat(v1.get("big")).isEqualTo("123456789012345678901234567890");
    assertThat(v1.get("ratio")).isEqualTo("12.50");
    assertThat(v1.get("ok")).isEqualTo("t");
    assertThat(v1.get("loose")).isEqualTo("2024-01-02");
    assertThat(v1.get("mixed")).isEqualTo("1");
    assertThat(v1.get("meta__owner__name")).isEqualTo("ann");
    assertThat(v1.get("meta__owner__select")).isEqualTo("reserved word");
    assertThat(v1.get("name")).isEqualTo("lower");
    assertThat(v1.entrySet()).anySatisfy(e -> {
      assertThat(e.getKey()).matches("name_[0-9a-f]{8}");
      assertThat(e.getValue()).isEqualTo("upper");
    });
    assertThat(pg.rows("SELECT seen = '2024-01-02T03:04:05.123456+05:30'::timestamptz AS same FROM nested.vulns WHERE id = 'v-1'")
        .get(0).get("same")).isEqualTo("t");
    Map<String, String> v2 = pg.rows("SELECT * FROM nested.vulns WHERE id = 'v-2'").get(0);
    assertThat(v2.get("mixed")).isEqualTo("text");
    assertThat(v2.get("late__field")).isEqualTo("1.5");
    assertThat(v2.get("count")).isEqualTo("-7");

    assertThat(columnTypes("vulns")).containsEntry("count", "smallint").containsEntry("big", "numeric(30,0)")
        .containsEntry("ratio", "numeric(4,2)").containsEntry("ok", "boolean")
        .containsEntry("seen", "timestamp with time zone").containsEntry("mixed", "character varying(16)")
        .containsEntry("_observes_id", "character varying(32)");

    // Child rows point at their parent and root; scalar lists use "value"; order is kept in _index.
    List<Map<String, String>> findings = pg.rows("SELECT f.*, v.id FROM nested.vulns__findings f "
        + "JOIN nested.vulns v ON v._observes_id = f._parent_id AND v._observes_id = f._root_id ORDER BY v.id, f._index");
    assertThat(findings).extracting(r -> r.get("id") + "/" + r.get("_index") + "/" + r.get("evidence__url") + "/" + r.get("n"))
        .containsExactly("v-1/0/https://x/1/1", "v-1/1/https://x/2/null", "v-2/0/null/3");
    assertThat(pg.rows("SELECT t.value FROM nested.vulns__tags t JOIN nested.vulns v ON v._observes_id = t._parent_id "
        + "ORDER BY t._index")).extracting(r -> r.get("value")).containsExactly("a", "b");

    // The rejected NUL value is kept, losslessly, with its row and path.
    Map<String, String> rejected = pg.rows("SELECT r.*, v.id FROM nested._rejected r JOIN nested.vulns v ON v._observes_id = r.row_id").get(0);
    assertThat(rejected.get("id")).isEqualTo("v-1");
    assertThat(rejected.get("source_path")).isEqualTo("bad");
    assertThat(rejected.get("table_name")).isEqualTo("vulns");
    assertThat(rejected.get("table_key")).isEqualTo("vulns");
    assertThat(rejected.get("reason")).contains("NUL");
    assertThat(rejected.get("raw_value")).isEqualTo("\"a\\u0000b\"");

    // The warehouse describes itself.
    assertThat(columnComment("vulns__findings", "evidence__url")).isEqualTo("findings[].evidence.url");
    assertThat(columnComment("vulns__tags", "value")).isEqualTo("tags[]");
    assertThat(columnComment("vulns", "meta__owner__select")).isEqualTo("meta.owner.select");
    assertThat(columnComment("vulns", "_observes_id")).startsWith("derived: row id");
    assertThat(pg.rows("SELECT obj_description('nested.vulns__findings'::regclass, 'pg_class') AS c").get(0).get("c"))
        .isEqualTo("Source: nested, stream vulns, elements of the list findings[]");

    // The run log has every phase and the per-table counts.
    assertThat(pg.rows("SELECT phase, segment, status FROM observes_meta.runs WHERE job = 'nested' ORDER BY started_at"))
        .extracting(r -> r.get("phase") + ":" + r.get("segment") + ":" + r.get("status"))
        .containsExactly("stage:0:SUCCEEDED", "stage:1:SUCCEEDED", "prepare:null:SUCCEEDED", "load:null:SUCCEEDED",
            "publish:null:SUCCEEDED");
    assertThat(pg.rows("SELECT rows_loaded, rows_rejected FROM observes_meta.run_tables WHERE job = 'nested' "
        + "AND phase = 'load' AND table_name = 'vulns'").get(0))
        .containsEntry("rows_loaded", "2").containsEntry("rows_rejected", "1");
  }

  @Test
  void withTheSchemaCachedEveryTableLoadsWithOneCopyFromAllSegments() throws Exception {
    Pipeline p = pipeline("warm");
    p.run(new RunId("r0"), Stream.of(record("v-1", FIRST), record("v-2", SECOND)),
        n -> {});
    // The next refresh: segments stage the cached columns, in the cached order, whatever they hold.
    RunId run = new RunId("r1");
    Schema base = p.baseSchema();
    p.stage(run, new Segment(0, 3), Stream.of(record("v-1", FIRST)), base, n -> {}, false);
    p.stage(run, new Segment(1, 3), Stream.of(record("v-2", SECOND)), base, n -> {}, false);
    p.stage(run, new Segment(2, 3), Stream.of(record("v-3", SECOND.replace("v-2", "v-3"))), base,
        n -> {}, false);
    p.prepare(run, 3, base, false);
    List<TableLoader.TableResult> loaded = p.load(run, 3, Optional.empty()).value();
    assertThat(loaded).extracting(TableLoader.TableResult::table)
        .contains("vulns", "vulns__findings", "vulns__tags", "_rejected");
    assertThat(loaded).allSatisfy(t -> assertThat(t.copies()).as(t.table()).isEqualTo(1));
    assertThat(p.publish(run, 3).value()).containsEntry("vulns", 3L).containsEntry("vulns__findings", 4L);
  }

  @Test
  void loadingASegmentTwiceNeverDoublesRows() throws Exception {
    Pipeline p = pipeline("twice");
    RunId run = new RunId("r1");
    p.stage(run, Segment.only(), Stream.of(record("v-1", FIRST), record("v-2", SECOND)), Schema.empty(), n -> {}, false);
    p.prepare(run, 1, Schema.empty(), false);
    List<TableLoader.TableResult> first = p.load(run, 1, Optional.empty()).value();
    List<TableLoader.TableResult> second = p.load(run, 1, Optional.empty()).value();

    assertThat(first).allSatisfy(t -> assertThat(t.skipped()).isFalse());
    assertThat(second).allSatisfy(t -> {
      assertThat(t.skipped()).isTrue();
      assertThat(t.rowsLoaded()).isEqualTo(t.rowsWritten());
    });
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM twice_loading.vulns").get(0).get("n")).isEqualTo("2");
    assertThat(p.publish(run, 1).value()).containsEntry("vulns", 2L);
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM twice.vulns__findings").get(0).get("n")).isEqualTo("3");
  }

  @Test
  void aRestagedSegmentIsNotMixedIntoAnEarlierLoad() throws Exception {
    Pipeline p = pipeline("restaged");
    RunId run = new RunId("r1");
    p.stage(run, Segment.only(), Stream.of(record("v-1", FIRST)), Schema.empty(), n -> {}, false);
    p.prepare(run, 1, Schema.empty(), false);
    p.load(run, 1, Optional.empty());
    p.stage(run, Segment.only(), Stream.of(record("v-1", FIRST)), Schema.empty(), n -> {}, true);

    assertThatThrownBy(() -> p.load(run, 1, Optional.empty())).hasMessageContaining("re-staged")
        .hasMessageContaining("segment(s) [0]").hasMessageContaining("phase2");
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM restaged_loading.vulns").get(0).get("n")).isEqualTo("1");
  }

  @Test
  void publishIsRefusedUntilEverySegmentIsLoaded() throws Exception {
    Pipeline p = pipeline("partial");
    RunId old = new RunId("r0");
    p.run(old, Stream.of(record("v-0", SECOND.replace("v-2", "v-0"))), n -> {});
    RunId run = new RunId("r1");
    p.stage(run, new Segment(0, 3), Stream.of(record("v-1", FIRST)), Schema.empty(), n -> {}, false);
    p.stage(run, new Segment(2, 3), Stream.of(record("v-2", SECOND)), Schema.empty(), n -> {}, false);

    assertThatThrownBy(() -> p.prepare(run, 3, Schema.empty(), false))
        .isInstanceOf(SegmentsIncompleteException.class).hasMessageContaining("segment(s) [1]");
    p.stage(run, new Segment(1, 3), Stream.empty(), Schema.empty(), n -> {}, false);
    p.prepare(run, 3, Schema.empty(), false);
    // Segment 1 staged nothing: loading its tables loads none.
    assertThat(p.load(run, 3, Optional.of(1)).value()).isEmpty();

    assertThatThrownBy(() -> p.publish(run, 3))
        .isInstanceOf(SegmentsIncompleteException.class)
        .hasMessageContaining("table(s) [_rejected, vulns, vulns__findings, vulns__tags] are not loaded")
        .hasMessageContaining("Run phase3 again");
    // The published data is untouched by the refused run.
    assertThat(pg.rows("SELECT id FROM partial.vulns")).extracting(r -> r.get("id")).containsExactly("v-0");
    assertThat(pg.rows("SELECT status FROM observes_meta.runs WHERE job = 'partial' AND run_id = 'r1' AND phase = 'publish'"))
        .extracting(r -> r.get("status")).containsExactly("FAILED");

    p.load(run, 3, Optional.of(2));
    assertThatThrownBy(() -> p.publish(run, 3)).hasMessageContaining("table(s) [_rejected, vulns__tags] are not loaded");
    p.load(run, 3, Optional.empty());
    assertThat(p.publish(run, 3).value()).containsEntry("vulns", 2L);
    assertThat(pg.rows("SELECT id FROM partial.vulns ORDER BY id")).extracting(r -> r.get("id")).containsExactly("v-1", "v-2");
    assertThat(pg.rows("SELECT id FROM partial_backup.vulns")).extracting(r -> r.get("id")).containsExactly("v-0");
  }

  @Test
  void manifestDescribesWhatTheSegmentSaw() {
    Pipeline p = pipeline("manifest");
    Manifest m = p.stage(new RunId("r1"), Segment.only(), Stream.of(record("v-1", FIRST)), Schema.empty(), n -> {}, false).value().orElseThrow();
    Manifest.TableManifest vulns = m.tables().stream().filter(t -> t.stream().equals("vulns") && t.path().isEmpty()).findFirst().orElseThrow();
    assertThat(m.records()).isEqualTo(1);
    assertThat(m.rejected()).isEqualTo(1);
    assertThat(vulns.rows()).isEqualTo(1);
    assertThat(vulns.columns()).contains("title", "meta.owner.select", "Name", "name");
    assertThat(vulns.stats().get("big").type().toString()).isEqualTo("NUMERIC(30,0)");
    assertThat(vulns.parts()).allSatisfy(part -> assertThat(part.uri()).matches(
        "s3://data/manifest/r1/segment=0/vulns_[0-9a-f]{8}/part-\\d+\\.csv\\.zst"));
  }

  private static Map<String, String> columnTypes(String table) throws Exception {
    Map<String, String> types = new java.util.HashMap<>();
    pg.rows("SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a "
        + "WHERE a.attrelid = 'nested." + table + "'::regclass AND a.attnum > 0")
        .forEach(r -> types.put(r.get("attname"), r.get("t")));
    return types;
  }

  private static String columnComment(String table, String column) throws Exception {
    return pg.rows("SELECT col_description(a.attrelid, a.attnum) AS c FROM pg_attribute a WHERE a.attrelid = 'nested."
        + table + "'::regclass AND a.attname = '" + column + "'").get(0).get("c");
  }
}
