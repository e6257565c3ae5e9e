package io.observes.etl.dynamo;

import io.observes.testing.ExportStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import io.observes.http.RetrySettings;
import io.observes.testing.CliAt;
import io.observes.testing.HeldWrite;
import io.observes.testing.JobProcess;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes etl dynamo incremental} as AWS Batch runs it hourly: each attempt its own JVM, the
 * first attempt of every run killed (SIGKILL) at a seeded-random stage, its retry (same job id and
 * run id, a little later) run to the end. Random puts, updates and deletes, dated by the test, go
 * through the runs; after every kill the state has not moved and the warehouse holds only committed
 * merges; after every retry, and at the end, the warehouse equals the table facet by facet, and
 * deleted items leave no root row, child row or rejected value.
 */
class DynamoIncrementalProcessesTest {
  @TempDir static Path logs;
  static ExportStack fixture;
  static DemoStack stack;
  static DynamoDbClient dynamo;
  static S3Client s3;
  static ExportStandIn exports;
  static HeldWrite s3Gate;

  /** Where in a run the first attempt is killed: each seen from outside the process. */
  enum KillPoint { LEASE_TAKEN, EXPORT_REQUESTED, STAGED, MERGE_WAITING_FOR_A_LOCK, MERGE_COMMITTED_STATE_NOT_WRITTEN }

  @BeforeAll
  static void start() throws Exception {
    fixture = ExportStack.start();
    stack = fixture.stack();
    dynamo = fixture.dynamo();
    s3 = fixture.s3();
    exports = fixture.exports();
    s3Gate = new HeldWrite(stack.s3Endpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    s3Gate.close();
    fixture.close();
  }

  /** The full refresh the incremental runs start from, in this JVM at {@code now}. */
  static void cli(String table, Instant now, String... args) {
    Map<String, String> env = TestDialect.apply(stack.environment(table));
    env.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
    CommandLine cli = Main.commandLine(new Environment(env), Clock.fixed(now, ZoneOffset.UTC), RetrySettings.DEFAULT);
    List<String> argv = new ArrayList<>(List.of("etl", "dynamo"));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--target-schema", table));
    assertThat(cli.execute(argv.toArray(String[]::new))).as("%s", argv).isZero();
  }

  /** One attempt of {@code incremental} as its own process at {@code now}. */
  static Process start(Map<String, String> env, String name, Instant now, String table) throws Exception {
    return JobProcess.in(logs).start(name, env, CliAt.class.getName(), now.toString(),
        "etl", "dynamo", "incremental", "--poll-seconds", "1", "--target-schema", table);
  }

  static String finished(Process process, String name) throws Exception {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished within 120 s", name).isTrue();
    assertThat(process.exitValue()).as("%s exit code; stderr: %s", name, Files.readString(logs.resolve(name + ".err")))
        .isZero();
    return Files.readString(logs.resolve(name + ".out"));
  }

  static boolean exists(String bucket, String key) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).keyCount() > 0;
  }

  static String appliedTo() {
    String state = s3.getObjectAsBytes(b -> b.bucket(DemoStack.STATE_BUCKET).key("dynamodb/state.json")).asUtf8String();
    var matcher = Pattern.compile("\"incremental_applied_to\" : \"([^\"]+)\"").matcher(state);
    assertThat(matcher.find()).as(state).isTrue();
    return matcher.group(1);
  }

  static Set<String> warehouse(String table, String run) throws Exception {
    return WarehouseRebuild.facts(stack.jdbcUrl(), table, DynamoExportTest.runSchemaOf(s3, run), "pk", "sk");
  }

  @Test
  void runsKilledAtRandomStagesAndRetriedLeaveTheWarehouseEqualToTheTable() throws Exception {
    long seed = Long.getLong("observes.kills.seed", 18);
    Random random = new Random(seed);
    String table = "killed";
    DemoData.createTable(dynamo, table);
    exports.enableStream(table);
    int seeded = 60;
    new DemoData(seed).seed(dynamo, table, seeded, n -> {});
    DynamoEtlTest.badItems().forEach(item -> dynamo.putItem(b -> b.tableName(table).item(item)));
    Instant t0 = Instant.now().minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.SECONDS);
    exports.captureChanges(table, t0.minus(Duration.ofHours(1)));
    cli(table, t0, "export", "--poll-seconds", "1", "--export-time", t0.toString());
    cli(table, t0, "phase1", "--source", "export", "--segment", "0", "--total-segments", "1", "--run-id", "full");
    for (String phase : List.of("phase2", "phase3", "phase4")) {
      cli(table, t0, phase, "--run-id", "full");
    }
    List<KillPoint> points = new ArrayList<>(List.of(KillPoint.values()));
    Collections.shuffle(points, random);
    String as = "seed " + seed + " (-Dobserves.kills.seed), kill points " + points;

    RandomChanges changes = new RandomChanges(dynamo, table, random, new DemoData(seed + 1), seeded);
    String lastRun = "full";
    Instant from = t0;
    for (int k = 0; k < points.size(); k++) {
      KillPoint point = points.get(k);
      String run = "hourly-" + k;
      Instant killedAt = from.plus(Duration.ofHours(20)); // one window
      changes.apply(10);
      exports.captureChanges(table, from.plus(Duration.ofHours(2)));
      changes.apply(10);
      // Within the minute before the window's end: the next run's window, whose start drifts a minute back, has it too.
      exports.captureChanges(table, killedAt.minusSeconds(30));
      // As Batch retries an attempt: the same job id (so the lease is taken over at once) and run id.
      Map<String, String> env = TestDialect.apply(stack.environment(table));
      env.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_S3", s3Gate.endpoint().toString());
      env.put("AWS_BATCH_JOB_ID", "job-" + k);
      env.put("OBSERVES_RUN_ID", run);
      Set<String> before = warehouse(table, lastRun);
      new KillAttempt(stack, s3, exports, s3Gate, table, run, logs).kill(point, run + "-killed",
          () -> start(env, run + "-killed", killedAt, table));
      assertThat(appliedTo()).as("the state did not move past the killed run's windows; %s, at %s", as, point)
          .isEqualTo(from.toString());
      assertThat(exists(DemoStack.STATE_BUCKET, "dynamodb." + table + "/run.lease")).as("a killed run keeps its lease; "
          + "%s, at %s", as, point).isTrue();
      if (point == KillPoint.MERGE_COMMITTED_STATE_NOT_WRITTEN) {
        assertThat(warehouse(table, run)).as("the merge committed; %s", as)
            .isEqualTo(DynamoExportTest.sourceFactsOf(dynamo, table));
      } else {
        assertThat(warehouse(table, lastRun)).as("nothing of the killed run is visible; %s, at %s", as, point)
            .isEqualTo(before);
      }
      // The retry comes later: it also has the changes made since.
      changes.apply(8);
      Instant retryAt = killedAt.plus(Duration.ofMinutes(20));
      exports.captureChanges(table, retryAt.minusSeconds(30));
      String out = finished(start(env, run, retryAt, table), run);
      assertThat(out).as(as).contains("Applied", "as of " + retryAt);
      var applied = Pattern.compile("\\(run ([^)]+)\\)").matcher(out);
      assertThat(applied.find()).as(out).isTrue();
      if (point == KillPoint.STAGED || point == KillPoint.MERGE_WAITING_FOR_A_LOCK
          || point == KillPoint.MERGE_COMMITTED_STATE_NOT_WRITTEN) {
        assertThat(out).as("what the killed attempt staged holds changes up to its time only; %s", as)
            .contains("Run " + run + " was attempted before");
      }
      String applier = applied.group(1);
      assertThat(appliedTo()).isEqualTo(retryAt.toString());
      assertThat(exists(DemoStack.STATE_BUCKET, "dynamodb." + table + "/run.lease")).as("released").isFalse();
      try {
        WarehouseRebuild.assertHolds(new TreeSet<>(DynamoExportTest.sourceFactsOf(dynamo, table)), warehouse(table, applier));
      } catch (AssertionError e) {
        throw new AssertionError("after run " + run + " (its first attempt killed at " + point + "); " + as + ": "
            + e.getMessage(), e);
      }
      changes.assertGone(stack.jdbcUrl(), as + ", after run " + run + " (killed at " + point + ")");
      lastRun = applier;
      from = retryAt;
    }
    assertThat(changes.deleted()).as("items were deleted, bad ones (with rejected values) among them; %s", as)
        .isNotEmpty().anyMatch(key -> key.startsWith("VULN#bad-"));
  }
}
