package io.observes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.TestDialect;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code observes warehouse check} run as the jar runs it, against embedded PostgreSQL and s3proxy
 * (and, in the build's Redshift rehearsal, Redshift's client on them): every question answered,
 * the scratch schemas, their lock tables and the staged files gone afterwards, PASS or FAIL.
 */
class WarehouseCheckTest extends ApiEtlStandIns {
  static final String READERS = "observes_check_test_readers";

  static final List<String> QUESTIONS = List.of("NULL marker and empty string", "timestamps load exactly",
      "DOUBLE PRECISION extremes round-trip", "VARCHAR(65535) holds 65,535 bytes", "widening in place",
      "swap keeps the readers' grants", "readers' groups exist", "query group accepted", "bad file fails cleanly");

  @BeforeAll
  static void readersGroup() throws Exception {
    pg.execute("DO $$ BEGIN CREATE ROLE " + READERS + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  }

  @BeforeEach
  void clean() throws Exception {
    reset();
  }

  static CliRun.Result check(Map<String, String> env) {
    CliRun.Result result = CliRun.run(env, Clock.systemUTC(), "warehouse", "check");
    System.out.println(result.out() + result.err());
    return result;
  }

  @Test
  void everyQuestionPassesOnTheStandInAndNothingIsLeftBehind() throws Exception {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_WAREHOUSE_READERS", READERS);

    CliRun.Result result = check(env);

    List<String> lines = result.out().lines().toList();
    for (String question : QUESTIONS) {
      assertThat(lines).as(question).anySatisfy(line -> assertThat(line).startsWith("PASS " + question + ": "));
    }
    assertThat(lines.stream().filter(l -> l.startsWith("PASS ") || l.startsWith("FAIL "))).hasSize(QUESTIONS.size());
    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("PASS swap keeps the readers' grants: after 2 swaps into observes_check_")
        .contains("group(s) " + READERS + " hold USAGE on the schema and SELECT on all")
        .contains("PASS readers' groups exist: " + READERS + " found in pg_roles")
        .contains(TestDialect.redshift() ? "(a field holding only NUL, COPY's NULL AS '\\000') loaded as NULL"
            : "(the unquoted field \\N) loaded as NULL")
        .contains("PASS query group accepted: not applicable")
        .contains("the subnormal 4.9E-324 is not staged: the stager rejects it")
        .contains("it names line 2 and column amount")
        .contains("Warehouse check: ");
    assertNothingLeft();
  }

  @Test
  void withoutReadersTheGrantQuestionsSaySoAndPass() throws Exception {
    CliRun.Result result = check(standInEnvironment());

    assertThat(result.out())
        .contains("PASS swap keeps the readers' grants: no readers configured (OBSERVES_WAREHOUSE_READERS is empty)")
        .contains("PASS readers' groups exist: no readers configured");
    assertThat(result.code()).isZero();
    assertNothingLeft();
  }

  @Test
  void aReadersGroupThatDoesNotExistFailsWithExitOneAndStillCleansUp() throws Exception {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_WAREHOUSE_READERS", "no_such_readers");

    CliRun.Result result = check(env);

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out())
        .contains("FAIL readers' groups exist: expected every reader group in pg_roles, missing: no_such_readers")
        // Every publish grants the readers: with the group missing the swap itself fails, and says why.
        .contains("FAIL swap keeps the readers' grants: swap 1 of 2 into observes_check_")
        .contains("no_such_readers")
        // The questions that publish nothing are still answered.
        .contains("PASS NULL marker and empty string: ")
        .contains("PASS bad file fails cleanly: ");
    assertNothingLeft();
  }

  @Test
  void noWarehouseConfiguredIsAConfigurationError() {
    Map<String, String> env = standInEnvironment();
    env.remove("OBSERVES_WAREHOUSE_URL");

    CliRun.Result result = CliRun.run(env, Clock.systemUTC(), "warehouse", "check");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("configuration error: no warehouse configured");
  }

  /** No scratch schema, no lock table named after one, no staged file or schema cache of the check. */
  static void assertNothingLeft() throws Exception {
    assertThat(pg.rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'observes!_check!_%' ESCAPE '!'")).isEmpty();
    assertThat(pg.rows("SELECT table_schema, table_name FROM information_schema.tables "
        + "WHERE table_name LIKE '%observes!_check!_%' ESCAPE '!'")).isEmpty();
    for (String bucket : List.of("data", "cache", "state")) {
      assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket)).contents()).as("objects left in " + bucket).isEmpty();
    }
  }
}
