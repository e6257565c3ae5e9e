package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import io.observes.testing.TestDialect;
import io.observes.warehouse.WarehouseClient;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs of one target never step on each other, and publishing keeps readers' rights: the staging
 * schema names the run that prepared it, loads and the swap check that inside their transactions.
 */
class RunOwnershipTest extends PipelineStandIns {
  static WarehouseClient readers;

  @BeforeAll
  static void start() throws Exception {
    pg.execute("CREATE ROLE analysts");
    pg.execute("CREATE ROLE finance");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername("postgres");
    HikariDataSource pool = new HikariDataSource(config);
    readers = TestDialect.client(pool, pool, List.of("analysts", "finance"));
  }

  @AfterAll
  static void stop() {
    readers.close();
  }

  /** A pipeline whose warehouse grants the readers their rights at every publish. */
  static Pipeline withReaders(String name) {
    return pipeline(name, readers, 4);
  }

  static Stream<SourceRecord> records(String run, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> new SourceRecord("items", List.of(run + i),
        (Value.Obj) JsonValues.parse("{\"id\": \"" + run + i + "\", \"n\": " + i + ", \"tags\": [\"a\", \"b\"]}")));
  }

  static void stage(Pipeline p, RunId run, int n) {
    p.stage(run, Segment.only(), records(run.value(), n), Schema.empty(), x -> {}, false);
  }

  @Test
  void aSecondRunsPreparationTakesTheStagingOverAndTheFirstRunIsRefusedNamingBoth() throws Exception {
    Pipeline p = withReaders("owned");
    RunId a = new RunId("run-a");
    RunId b = new RunId("run-b");
    stage(p, a, 3);
    stage(p, b, 5);
    p.prepare(a, 1, Schema.empty(), false);
    p.prepare(b, 1, Schema.empty(), false);

    assertThatThrownBy(() -> p.load(a, 1, Optional.empty())).hasMessageContaining("run run-a").hasMessageContaining("run run-b")
        .hasMessageContaining("owned_loading");
    p.load(b, 1, Optional.empty());
    assertThatThrownBy(() -> p.publish(a, 1)).hasMessageContaining("run-a").hasMessageContaining("run-b");
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM owned_loading.items").get(0).get("n")).isEqualTo("5");

    p.publish(b, 1);
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM owned.items").get(0).get("n")).isEqualTo("5");
    // Run A's late phases find nothing of theirs to publish; run B's retry finds its work done.
    assertThatThrownBy(() -> p.publish(a, 1)).hasMessageContaining("does not exist");
    assertThat(p.publish(b, 1).alreadyDone()).contains("already published run run-b in owned");
    assertThat(p.load(b, 1, Optional.empty()).alreadyDone()).contains("already published run run-b in owned");
    assertThat(p.prepare(b, 1, Schema.empty(), false).alreadyDone()).contains("already published run run-b in owned");
  }

  @Test
  void aPublishedRunThatWasSinceReplacedSaysSo() {
    Pipeline p = withReaders("replaced");
    RunId first = new RunId("first");
    RunId second = new RunId("second");
    p.run(first, records("first", 2), x -> {});
    p.run(second, records("second", 4), x -> {});
    assertThat(p.publish(first, 1).alreadyDone()).hasValueSatisfying(note -> assertThat(note)
        .contains("run first was published in replaced and has since been replaced by run second"));
  }

  @Test
  void preparingTwiceFromTheSameStagingKeepsTheLoadsButANewStagingPreparesAfresh() throws Exception {
    Pipeline p = withReaders("again");
    RunId run = new RunId("r1");
    stage(p, run, 3);
    p.prepare(run, 1, Schema.empty(), false);
    p.load(run, 1, Optional.empty());
    assertThat(p.prepare(run, 1, Schema.empty(), false).alreadyDone()).hasValueSatisfying(n -> assertThat(n)
        .contains("already prepared"));
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM again_loading.items").get(0).get("n")).isEqualTo("3");

    p.stage(run, Segment.only(), records("r1", 4), Schema.empty(), x -> {}, true);
    assertThat(p.prepare(run, 1, Schema.empty(), false).alreadyDone()).isEmpty();
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM again_loading.items").get(0).get("n")).isEqualTo("0");
    p.load(run, 1, Optional.empty());
    assertThat(p.publish(run, 1).value()).containsEntry("items", 4L);
  }

  @Test
  void readersKeepTheirRightsAndTablesAreAnalyzedWhenPublished() throws Exception {
    Pipeline p = withReaders("granted");
    p.run(new RunId("g1"), records("g", 3), x -> {});
    p.run(new RunId("g2"), records("h", 4), x -> {});
    for (String role : List.of("analysts", "finance")) {
      assertThat(pg.rows("SELECT has_schema_privilege('" + role + "', 'granted', 'USAGE') AS u, "
          + "has_table_privilege('" + role + "', 'granted.items', 'SELECT') AS i, "
          + "has_table_privilege('" + role + "', 'granted.items__tags', 'SELECT') AS t").get(0))
          .containsEntry("u", "t").containsEntry("i", "t").containsEntry("t", "t");
    }
    // ANALYZE ran on every published table (COPY ran without statistics): reltuples is set.
    assertThat(pg.rows("SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = 'granted' AND c.relkind = 'r' AND c.relname IN ('items', 'items__tags')"))
        .hasSize(2).allSatisfy(r -> assertThat(Double.parseDouble(r.get("reltuples"))).isPositive());
  }
}
