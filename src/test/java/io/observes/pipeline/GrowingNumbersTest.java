package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import io.observes.testing.TestDialect;
import io.observes.warehouse.WarehouseClient;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A number of a merged target that outgrows its column run after run, as a GitLab duration or a
 * Checkly response time does: SMALLINT, INTEGER, BIGINT, NUMERIC(38,s), then text. Every run
 * publishes, every value stays the same number, and the column keeps its comment and the readers
 * their grants. On Redshift only a VARCHAR's length can change in place, so the column is rebuilt
 * inside the merge; the build runs this under both dialects.
 */
class GrowingNumbersTest extends PipelineStandIns {
  static final StreamSpec JOBS = StreamSpec.of("jobs", WriteMode.MERGE, "id");
  static WarehouseClient readers;

  @BeforeAll
  static void start() throws Exception {
    pg.execute("CREATE ROLE growing_readers");
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername("postgres");
    com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
    readers = TestDialect.client(pool, pool, List.of("growing_readers"));
  }

  @AfterAll
  static void stop() {
    readers.close();
  }

  static Pipeline pipeline() {
    return new Pipeline(new Target("growing", "growing"), new Streams(List.of(JOBS)), s3.store(), readers, settings());
  }

  static void run(Pipeline p, String id, String duration) {
    SourceRecord record = JOBS.record((Value.Obj) JsonValues.parse("{\"id\": \"" + id + "\", \"duration\": " + duration
        + ", \"name\": \"job " + id + "\"}"));
    p.run(RunId.unique(Instant.now()), Stream.of(record), n -> { });
  }

  String column() throws Exception {
    Map<String, String> c = pg.rows("SELECT data_type, character_maximum_length, numeric_precision, numeric_scale FROM "
        + "information_schema.columns WHERE table_schema = 'growing' AND table_name = 'jobs' AND column_name = 'duration'")
        .get(0);
    return switch (c.get("data_type")) {
      case "numeric" -> "NUMERIC(" + c.get("numeric_precision") + "," + c.get("numeric_scale") + ")";
      case "character varying" -> "VARCHAR(" + c.get("character_maximum_length") + ")";
      default -> c.get("data_type").toUpperCase(java.util.Locale.ROOT);
    };
  }

  @Test
  void aNumberOutgrowingItsColumnWidensItRunAfterRunKeepingEveryValueCommentAndGrant() throws Exception {
    Pipeline p = pipeline();
    String big = "123456789012345678901234567890123456.5";
    String huge = "12345678901234567890123456789012345678901234";
    List<String[]> runs = List.of(new String[] {"a", "120", "SMALLINT"}, new String[] {"b", "40000", "INTEGER"},
        new String[] {"c", "5000000000", "BIGINT"}, new String[] {"d", "12.25", "NUMERIC(21,2)"},
        new String[] {"e", big, "NUMERIC(38,2)"}, new String[] {"f", huge, "VARCHAR"});
    List<String[]> loaded = new ArrayList<>();
    for (String[] r : runs) {
      run(p, r[0], r[1]);
      loaded.add(r);
      assertThat(column()).as("after the value %s", r[1]).startsWith(r[2]);
      // Every value loaded so far is the same number.
      for (String[] earlier : loaded) {
        String value = pg.rows("SELECT duration FROM growing.jobs WHERE id = '" + earlier[0] + "'").get(0).get("duration");
        assertThat(new BigDecimal(value)).as("%s after the run of %s", earlier[0], r[0])
            .isEqualByComparingTo(new BigDecimal(earlier[1]));
      }
      assertThat(pg.rows("SELECT col_description('growing.jobs'::regclass, a.attnum) AS c FROM pg_attribute a WHERE "
          + "a.attrelid = 'growing.jobs'::regclass AND a.attname = 'duration'").get(0).get("c"))
          .as("the column's comment after the run of %s", r[0]).isEqualTo("duration");
      assertThat(pg.rows("SELECT has_table_privilege('growing_readers', 'growing.jobs', 'SELECT') AS g").get(0).get("g"))
          .isEqualTo("t");
    }
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM growing.jobs").get(0).get("n")).isEqualTo("6");
    assertThat(pg.rows("SELECT name FROM growing.jobs WHERE id = 'a'").get(0).get("name")).isEqualTo("job a");
    assertThat(pg.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'growing' AND "
        + "column_name LIKE '%widened%'")).as("no rebuild column left behind").isEmpty();
  }
}
