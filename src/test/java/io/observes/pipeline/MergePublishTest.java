package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.PipelineStandIns;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A target with merged streams, updated in place by successive runs against PostgreSQL: rows
 * replaced by key and child rows by root, columns added and widened only where no value changes,
 * a column without values re-made, a kind change refused with nothing changed, replaced streams
 * rebuilt, and rejected values following their rows.
 */
class MergePublishTest extends PipelineStandIns {
  static final AtomicInteger RUNS = new AtomicInteger();
  static final StreamSpec ITEMS = StreamSpec.of("items", WriteMode.MERGE, "id").typed("n", ColumnType.BIGINT);
  static final StreamSpec CONFIG = StreamSpec.of("config", WriteMode.REPLACE, "id");

  static Pipeline merged(String name) {
    return new Pipeline(new Target(name, name), new Streams(List.of(ITEMS, CONFIG)), s3.store(), warehouse, settings());
  }

  static SourceRecord item(String json) {
    return ITEMS.record((Value.Obj) JsonValues.parse(json));
  }

  static SourceRecord config(String json) {
    return CONFIG.record((Value.Obj) JsonValues.parse(json));
  }

  static void run(Pipeline p, SourceRecord... records) {
    p.run(RunId.unique(java.time.Instant.now()), Stream.of(records), n -> { });
    RUNS.incrementAndGet();
  }

  List<String> rows(String sql) throws Exception {
    return pg.rows(sql).stream().map(r -> String.join("|", r.values().stream().map(String::valueOf).toList())).toList();
  }

  @Test
  void rowsAreReplacedByKeyAndChildRowsByTheirRoot() throws Exception {
    Pipeline p = merged("merged_rows");
    run(p, item("{\"id\": \"a\", \"n\": 1, \"tags\": [\"x\", \"y\", \"z\"]}"), item("{\"id\": \"b\", \"n\": 2, \"tags\": [\"q\"]}"),
        config("{\"id\": \"c1\", \"v\": \"old\"}"), config("{\"id\": \"c2\", \"v\": \"old\"}"));
    run(p, item("{\"id\": \"a\", \"n\": 10, \"tags\": [\"w\"]}"), item("{\"id\": \"c\", \"n\": 3, \"tags\": []}"),
        config("{\"id\": \"c1\", \"v\": \"new\"}"));

    assertThat(rows("SELECT id, n FROM merged_rows.items ORDER BY id")).containsExactly("a|10", "b|2", "c|3");
    assertThat(rows("SELECT i.id, t.value FROM merged_rows.items i JOIN merged_rows.items__tags t ON t._root_id = "
        + "i._observes_id ORDER BY 1, 2")).containsExactly("a|w", "b|q");
    assertThat(rows("SELECT id, v FROM merged_rows.config ORDER BY id")).containsExactly("c1|new");
    assertThat(pg.rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'merged_rows%'")).extracting(r -> r.get("nspname"))
        .containsExactly("merged_rows");
  }

  @Test
  void newColumnsAreAddedAndTextAndNumbersWidenWithTheirValuesUnchanged() throws Exception {
    Pipeline p = merged("widened");
    run(p, item("{\"id\": \"a\", \"n\": 1, \"s\": \"ab\", \"q\": 5}"));
    String long40 = "x".repeat(40);
    run(p, item("{\"id\": \"b\", \"n\": 2, \"s\": \"" + long40 + "\", \"q\": 1.25, \"fresh\": true}"));

    assertThat(rows("SELECT id, s, q, fresh FROM widened.items ORDER BY id")).containsExactly("a|ab|5.00|null",
        "b|" + long40 + "|1.25|t");
    assertThat(rows("SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale FROM "
        + "information_schema.columns WHERE table_schema = 'widened' AND table_name = 'items' AND column_name IN ('s', 'q') "
        + "ORDER BY 1")).containsExactly("q|numeric|null|7|2", "s|character varying|64|null|null"); // SMALLINT and NUMERIC(3,2): 5 integer digits + 2
  }

  @Test
  void aColumnWithoutValuesTakesTheTypeALaterRunNeeds() throws Exception {
    Pipeline p = merged("unknown_first");
    run(p, item("{\"id\": \"a\", \"n\": 1, \"coverage\": null}"));
    run(p, item("{\"id\": \"b\", \"n\": 2, \"coverage\": 85.30}"));

    assertThat(rows("SELECT id, coverage FROM unknown_first.items ORDER BY id")).containsExactly("a|null", "b|85.30");
    assertThat(rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'unknown_first' AND column_name = "
        + "'coverage'")).containsExactly("numeric");
  }

  @Test
  void aChangeOfKindIsRefusedAndNothingChanges() throws Exception {
    Pipeline p = merged("kinds");
    run(p, item("{\"id\": \"a\", \"n\": 1, \"code\": \"A-17\"}"));
    // The schema cache lost: the next run infers the column anew, as a boolean.
    s3.store().delete(new S3Uri("cache", "kinds/schemas/kinds.json"));

    // A boolean would become whatever text the warehouse prints for it (a number keeps its digits: allowed).
    assertThatThrownBy(() -> run(p, item("{\"id\": \"a\", \"n\": 2, \"code\": true}")))
        .hasMessageContaining("cannot update kinds.items: its column code holds values as VARCHAR(16)")
        .hasMessageContaining("Nothing was changed");

    assertThat(rows("SELECT id, n, code FROM kinds.items")).containsExactly("a|1|A-17");
  }

  @Test
  void rejectedValuesFollowTheRowsTheyBelongTo() throws Exception {
    Pipeline p = merged("rejections");
    run(p, item("{\"id\": \"a\", \"n\": \"not a number\"}"), item("{\"id\": \"b\", \"n\": \"also not\"}"));
    assertThat(rows("SELECT table_name, source_path FROM rejections._rejected ORDER BY row_id")).hasSize(2);

    run(p, item("{\"id\": \"a\", \"n\": 5}"));

    assertThat(rows("SELECT id, n FROM rejections.items ORDER BY id")).containsExactly("a|5", "b|null");
    assertThat(rows("SELECT r.raw_value FROM rejections._rejected r JOIN rejections.items i ON i._observes_id = r.row_id"))
        .containsExactly("\"also not\"");
  }

  @Test
  void aRerunOfAPublishedRunChangesNothing() throws Exception {
    Pipeline p = merged("rerun");
    RunId run = RunId.unique(java.time.Instant.now());
    p.run(run, Stream.of(item("{\"id\": \"a\", \"n\": 1}")), n -> { });

    assertThat(p.publish(run, 1).alreadyDone()).get().asString().contains("already published");
    assertThat(rows("SELECT id, n FROM rerun.items")).containsExactly("a|1");
    assertThat(pg.rows("SELECT run_id FROM rerun._observes_run")).extracting(r -> r.get("run_id")).containsExactly(run.value());
  }

  @Test
  void declaredTypesWinOverCachedOnesAndADeclarationAddedLaterIsNotIgnored() throws Exception {
    Pipeline undeclared = new Pipeline(new Target("declared", "declared"), new Streams(List.of(
        StreamSpec.of("items", WriteMode.MERGE, "id"))), s3.store(), warehouse, settings());
    undeclared.run(RunId.unique(java.time.Instant.now()), Stream.of(item("{\"id\": \"a\", \"n\": 1, \"at\": \"soon\"}")),
        n -> { });
    Pipeline declared = new Pipeline(new Target("declared", "declared"), new Streams(List.of(
        StreamSpec.of("items", WriteMode.MERGE, "id").typed("n", ColumnType.BIGINT).typed("when", ColumnType.TIMESTAMPTZ))),
        s3.store(), warehouse, settings());

    assertThat(declared.baseSchema().tables().get(0).columns()).anySatisfy(c -> {
      assertThat(c.name()).isEqualTo("when");
      assertThat(c.declared()).isTrue();
      assertThat(c.type()).isEqualTo(ColumnType.TIMESTAMPTZ);
    });
    declared.run(RunId.unique(java.time.Instant.now()), Stream.of(item("{\"id\": \"b\", \"n\": 2, \"when\": \"not a time\"}")),
        n -> { });

    assertThat(rows("SELECT id, \"when\" FROM declared.items ORDER BY id")).containsExactly("a|null", "b|null");
    assertThat(rows("SELECT source_path FROM declared._rejected")).containsExactly("when");
    assertThat(rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'declared' AND column_name = "
        + "'when'")).containsExactly("timestamp with time zone");
  }

  @Test
  void twoCopiesOfARecordInOneRunLandOnce() throws Exception {
    Streams streams = new Streams(List.of(ITEMS, CONFIG));
    // The dynamo ETL's streams declare no key: their records are never compared.
    assertThat(new DistinctRecords(Streams.undeclared()).filter(Stream.of(item("{\"id\": \"a\", \"n\": 1}"),
        item("{\"id\": \"a\", \"n\": 1}"))).count()).isEqualTo(2);
    DistinctRecords distinct = new DistinctRecords(streams);
    List<SourceRecord> kept = distinct.filter(Stream.of(item("{\"id\": \"a\", \"n\": 1}"), item("{\"id\": \"a\", \"n\": 2}"),
        item("{\"id\": \"b\", \"n\": 3}"), config("{\"id\": \"c\"}"), config("{\"id\": \"c\"}"))).toList();

    assertThat(kept).hasSize(3);
    assertThat(distinct.dropped()).isEqualTo(2);
    assertThat(Map.of("n", kept.get(0).value().fields().get("n"))).containsEntry("n", Value.Numeric.of(1));
  }
}
