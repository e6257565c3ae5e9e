package io.observes.etl.dynamo;

import io.observes.testing.ExportStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes etl dynamo incremental} after a full export: random puts, updates and deletes,
 * dated by the test, applied through several runs (adjacent windows overlapping by the stand-in's
 * edge drift, one run's windows applied twice) leave the warehouse equal to the table, facet by facet.
 */
class DynamoIncrementalTest {
  static ExportStack fixture;
  static DemoStack stack;
  static DynamoDbClient dynamo;
  static S3Client s3;
  static ExportStandIn exports;

  @BeforeAll
  static void start() throws Exception {
    fixture = ExportStack.start();
    stack = fixture.stack();
    dynamo = fixture.dynamo();
    s3 = fixture.s3();
    exports = fixture.exports();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  record Result(int code, String out, String err) {}

  /** The CLI at {@code now}, the SDK pointed at the stand-in. */
  static Result cli(String table, Instant now, String... args) {
    Result r = run(table, now, args);
    assertThat(r.code()).as("exit code; stdout: %s; stderr: %s", r.out(), r.err()).isZero();
    return r;
  }

  static Result run(String table, Instant now, String... args) {
    Map<String, String> env = TestDialect.apply(stack.environment(table));
    env.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
    CommandLine cli = Main.commandLine(new Environment(env), Clock.fixed(now, ZoneOffset.UTC), RetrySettings.DEFAULT);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> argv = new ArrayList<>(List.of("etl", "dynamo"));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--target-schema", table));
    return new Result(cli.execute(argv.toArray(String[]::new)), out.toString(), err.toString());
  }

  static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
    return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
  }

  /** {@code count} random changes of items 0 .. 2 * seeded: updates and deletes of some, puts of others. */
  static void change(String table, Random random, DemoData content, int seeded, int count) {
    for (int i = 0; i < count; i++) {
      int item = random.nextInt(seeded * 2);
      if (random.nextInt(3) == 0) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(content.item(item))));
      } else {
        dynamo.putItem(b -> b.tableName(table).item(content.item(item)));
      }
    }
  }

  @Test
  void randomChangesThroughSeveralRunsLeaveTheWarehouseEqualToTheTable() throws Exception {
    String table = "incr1";
    DemoData.createTable(dynamo, table);
    exports.enableStream(table);
    int seeded = 120;
    new DemoData(17).seed(dynamo, table, seeded, n -> {});
    Instant t0 = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
    exports.captureChanges(table, t0.minus(Duration.ofHours(1)));

    Result never = run(table, t0, "incremental", "--poll-seconds", "1");
    assertThat(never.code()).as(never.out()).isEqualTo(2);
    assertThat(never.err()).contains("never loaded from a full export", "observes etl dynamo export");
    cli(table, t0, "export", "--poll-seconds", "1", "--export-time", t0.toString());
    assertThat(run(table, t0.plus(Duration.ofMinutes(14)), "incremental", "--poll-seconds", "1").err())
        .as("the export alone is not in the warehouse yet").contains("never loaded from a full export");
    for (int s = 0; s < 2; s++) {
      cli(table, t0, "phase1", "--source", "export", "--segment", Integer.toString(s), "--total-segments", "2",
          "--run-id", "full");
    }
    for (String phase : List.of("phase2", "phase3")) {
      cli(table, t0, phase, "--run-id", "full");
    }
    Result during = cli(table, t0.plus(Duration.ofMinutes(30)), "incremental", "--poll-seconds", "1");
    assertThat(during.out()).as("the refresh holds the lease from phase1 to phase4")
        .contains("Skipped", "held by run full", "the state did not move").doesNotContain("Applied");
    cli(table, t0, "phase4", "--run-id", "full");
    assertThat(cli(table, t0.plus(Duration.ofMinutes(14)), "incremental", "--poll-seconds", "1").out())
        .contains("Nothing to apply", "as of " + t0);

    Random random = new Random(42);
    DemoData content = new DemoData(99);
    // Run 1: one window [t0, t0 + 2 h); run 2: two of 14 h, the change near their shared edge seen by both.
    change(table, random, content, seeded, 40);
    exports.captureChanges(table, t0.plus(Duration.ofMinutes(30)));
    change(table, random, content, seeded, 40);
    exports.captureChanges(table, t0.plus(Duration.ofMinutes(110)));
    Result first = cli(table, t0.plus(Duration.ofHours(2)), "incremental", "--poll-seconds", "1", "--run-id", "i1");
    assertThat(first.out()).contains("from 1 window(s)", "as of " + t0.plus(Duration.ofHours(2)));

    change(table, random, content, seeded, 40);
    exports.captureChanges(table, t0.plus(Duration.ofHours(16)).minusSeconds(30));
    change(table, random, content, seeded, 40);
    exports.captureChanges(table, t0.plus(Duration.ofHours(29)));
    Instant second = t0.plus(Duration.ofHours(30));
    assertThat(cli(table, second, "incremental", "--poll-seconds", "1", "--run-id", "i2").out())
        .contains("from 2 window(s)");
    TreeSet<String> expected = new TreeSet<>(DynamoExportTest.sourceFactsOf(dynamo, table));
    WarehouseRebuild.assertHolds(expected, WarehouseRebuild.facts(stack.jdbcUrl(), table,
        DynamoExportTest.runSchemaOf(s3, "i2"), "pk", "sk"));

    // The state set back: the same windows again (the same exports, by their client tokens) change nothing.
    String state = s3.getObjectAsBytes(b -> b.bucket(DemoStack.STATE_BUCKET).key("dynamodb/state.json")).asUtf8String();
    assertThat(state).contains("\"incremental_applied_to\" : \"" + second + "\"");
    s3.putObject(b -> b.bucket(DemoStack.STATE_BUCKET).key("dynamodb/state.json"),
        RequestBody.fromString(state.replace(second.toString(), t0.plus(Duration.ofHours(2)).toString())));
    cli(table, second, "incremental", "--poll-seconds", "1", "--run-id", "i3");
    WarehouseRebuild.assertHolds(expected, WarehouseRebuild.facts(stack.jdbcUrl(), table,
        DynamoExportTest.runSchemaOf(s3, "i3"), "pk", "sk"));
    assertThat(expected).as("deletes and puts both happened").isNotEmpty();
  }

  @Test
  void aScanRefreshWaitsForNoIncrementalRunAndIncrementalRunsCatchUpFromWhenItTookTheLease() throws Exception {
    String table = "incr3";
    DemoData.createTable(dynamo, table);
    exports.enableStream(table);
    int seeded = 80;
    new DemoData(23).seed(dynamo, table, seeded, n -> {});
    Instant t0 = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    exports.captureChanges(table, t0.minus(Duration.ofHours(1)));
    String[] segment0 = {"phase1", "--source", "scan", "--segment", "0", "--total-segments", "2", "--run-id", "scan1"};

    // An incremental run holds the lease: the refresh does not start reading beside it.
    String leaseKey = "dynamodb." + table + "/run.lease"; // the target schema is the table's name here
    s3.putObject(b -> b.bucket(DemoStack.STATE_BUCKET).key(leaseKey), RequestBody.fromString("{\"run\": "
        + "\"batch-job-hourly\", \"acquired_at\": \"" + t0.minusSeconds(60) + "\", \"expires_at\": \""
        + t0.plus(Duration.ofHours(1)) + "\", \"host\": \"ip-10-0-0-1\", \"token\": \"t-1\"}"));
    Result refused = run(table, t0, segment0);
    assertThat(refused.code()).as(refused.out()).isEqualTo(1);
    assertThat(refused.err()).contains("held by run batch-job-hourly", "waited 0 s", "OBSERVES_LEASE_WAIT_SECONDS");
    assertThat(s3.listObjectsV2Paginator(b -> b.bucket(DemoStack.DATA_BUCKET)).contents().stream().map(o -> o.key()))
        .as("nothing staged").noneMatch(key -> key.contains("scan1"));
    s3.deleteObject(b -> b.bucket(DemoStack.STATE_BUCKET).key(leaseKey));

    // The scan is no snapshot: an item changed between its segments is read as of whenever its segment ran.
    cli(table, t0, segment0);
    Random random = new Random(5);
    DemoData content = new DemoData(6);
    change(table, random, content, seeded, 12);
    exports.captureChanges(table, t0.plus(Duration.ofMinutes(1)));
    cli(table, t0.plus(Duration.ofMinutes(2)), "phase1", "--source", "scan", "--segment", "1", "--total-segments", "2",
        "--run-id", "scan1");
    cli(table, t0.plus(Duration.ofMinutes(3)), "phase2", "--run-id", "scan1");
    cli(table, t0.plus(Duration.ofMinutes(3)), "phase3", "--run-id", "scan1");
    assertThat(cli(table, t0.plus(Duration.ofMinutes(4)), "phase4", "--run-id", "scan1").out())
        .contains("Incremental runs start from " + t0.minus(Duration.ofMinutes(5)));
    assertThat(s3.listObjectsV2(b -> b.bucket(DemoStack.STATE_BUCKET).prefix(leaseKey)).contents())
        .as("phase4 released the refresh's lease").isEmpty();

    change(table, random, content, seeded, 30);
    exports.captureChanges(table, t0.plus(Duration.ofMinutes(40)));
    assertThat(cli(table, t0.plus(Duration.ofHours(1)), "incremental", "--poll-seconds", "1", "--run-id", "i31").out())
        .contains("Applied", "as of " + t0.plus(Duration.ofHours(1)));
    TreeSet<String> expected = new TreeSet<>(DynamoExportTest.sourceFactsOf(dynamo, table));
    WarehouseRebuild.assertHolds(expected, WarehouseRebuild.facts(stack.jdbcUrl(), table,
        DynamoExportTest.runSchemaOf(s3, "i31"), "pk", "sk"));
  }

  /** The CLI as its own process (real clock), its output in {@code logs}. */
  static Process start(Map<String, String> env, java.nio.file.Path logs, String name, String... args) throws Exception {
    return io.observes.testing.JobProcess.in(logs).cli(name, env, args);
  }

  static long count(java.sql.Connection c, String sql) throws Exception {
    try (var s = c.createStatement(); var r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void aRunKilledInsideItsMergeLeavesTheStateAndTheWarehouseAsTheyWereAndItsRerunApplies() throws Exception {
    String table = "incr2";
    DemoData.createTable(dynamo, table);
    exports.enableStream(table);
    new DemoData(5).seed(dynamo, table, 60, n -> {});
    DynamoEtlTest.badItems().forEach(item -> dynamo.putItem(b -> b.tableName(table).item(item)));
    Instant t0 = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    exports.captureChanges(table, t0.minus(Duration.ofHours(1)));
    cli(table, t0, "export", "--poll-seconds", "1", "--export-time", t0.toString());
    cli(table, t0, "phase1", "--source", "export", "--segment", "0", "--total-segments", "1", "--run-id", "full2");
    for (String phase : List.of("phase2", "phase3", "phase4")) {
      cli(table, t0, phase, "--run-id", "full2");
    }
    Map<String, AttributeValue> bad = DynamoEtlTest.badItems().get(0);
    dynamo.deleteItem(b -> b.tableName(table).key(key(bad)));
    change(table, new Random(7), new DemoData(8), 60, 30);
    exports.captureChanges(table, t0.plus(Duration.ofHours(3)));
    String badId = bad.get("pk").s();

    java.nio.file.Path logs = java.nio.file.Files.createTempDirectory("incremental-kill");
    Map<String, String> env = TestDialect.apply(stack.environment(table));
    env.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
    env.put("AWS_BATCH_JOB_ID", "incremental-job-1"); // its retry takes the lease over at once
    String[] incremental = {"etl", "dynamo", "incremental", "--poll-seconds", "1", "--target-schema", table};
    String rejected = "SELECT COUNT(*) FROM incr2._rejected r JOIN incr2.vulnerability_metadata v ON v._observes_id = "
        + "r.row_id WHERE v.pk = '" + badId + "'";
    try (java.sql.Connection lock = java.sql.DriverManager.getConnection(stack.jdbcUrl());
        java.sql.Connection poll = java.sql.DriverManager.getConnection(stack.jdbcUrl())) {
      assertThat(count(poll, rejected)).as("the bad item's rejected values, before").isPositive();
      lock.setAutoCommit(false);
      try (var s = lock.createStatement()) {
        // The merge clears rejected values inside its transaction: it waits here, and is killed waiting.
        s.execute("LOCK TABLE incr2._rejected IN SHARE MODE");
      }
      Process killed = start(env, logs, "killed", incremental);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
      while (count(poll, "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON "
          + "n.oid = c.relnamespace WHERE n.nspname = 'incr2' AND c.relname = '_rejected' AND NOT l.granted") == 0) {
        assertThat(killed.isAlive()).as("the run reached the merge; its log: %s",
            logs.resolve("killed.err")).isTrue();
        assertThat(System.nanoTime()).as("the merge waited for the lock within 90 s").isLessThan(deadline);
        killed.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      killed.destroyForcibly();
      assertThat(killed.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      lock.rollback();

      String state = s3.getObjectAsBytes(b -> b.bucket(DemoStack.STATE_BUCKET).key("dynamodb/state.json")).asUtf8String();
      assertThat(state).as("the state did not advance past the uncommitted windows: still the full refresh's snapshot")
          .contains("\"incremental_applied_to\" : \"" + t0 + "\"");
      assertThat(count(poll, rejected)).as("nothing of the killed merge is visible").isPositive();

      Process rerun = start(env, logs, "rerun", incremental);
      assertThat(rerun.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(rerun.exitValue()).as(java.nio.file.Files.readString(logs.resolve("rerun.err"))).isZero();
      assertThat(java.nio.file.Files.readString(logs.resolve("rerun.out"))).contains("Applied", "deleted");
      assertThat(count(poll, "SELECT COUNT(*) FROM incr2._rejected WHERE row_id NOT IN (SELECT _observes_id FROM "
          + "incr2.vulnerability_metadata) AND table_name = 'vulnerability_metadata'")).as("no rejected value of a "
          + "deleted row").isZero();
      assertThat(count(poll, "SELECT COUNT(*) FROM incr2.vulnerability_metadata WHERE pk = '" + badId + "'")).isZero();
    }
    String state = s3.getObjectAsBytes(b -> b.bucket(DemoStack.STATE_BUCKET).key("dynamodb/state.json")).asUtf8String();
    assertThat(state).doesNotContain("\"incremental_applied_to\" : \"" + t0 + "\"");
    TreeSet<String> expected = new TreeSet<>(DynamoExportTest.sourceFactsOf(dynamo, table));
    WarehouseRebuild.assertHolds(expected, WarehouseRebuild.facts(stack.jdbcUrl(), table,
        DynamoExportTest.runSchemaOf(s3, "full2"), "pk", "sk"));
  }
}
