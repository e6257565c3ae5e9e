package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.testing.JobProcess;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Each phase as its own JVM, configured only by environment variables, as AWS Batch nodes run them:
 * every phase run twice in a row, and every phase killed (SIGKILL) at several points and run again.
 */
class DynamoProcessesTest {
  @TempDir static Path logs;
  static DemoStack stack;
  static int runs;

  record Exit(int code, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start();
    AwsSettings aws = AwsSettings.from(new Environment(stack.environment("unused")));
    try (S3Client s3 = AwsClients.s3(aws)) {
      s3.createBucket(b -> b.bucket(DemoStack.DATA_BUCKET));
      s3.createBucket(b -> b.bucket(DemoStack.CACHE_BUCKET));
      s3.createBucket(b -> b.bucket(DemoStack.STATE_BUCKET));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (poller != null) {
      poller.close();
    }
    stack.close();
  }

  /** A fresh DynamoDB table seeded with the demo data, and the environment of its runs. */
  static Map<String, String> table(String name, int items, String runId) throws Exception {
    Map<String, String> env = TestDialect.apply(stack.environment(name));
    env.put("OBSERVES_RUN_ID", runId);
    env.put("OBSERVES_WORK_DIR", logs.toString());
    env.put("OBSERVES_LOG_FORMAT", "json");
    AwsSettings aws = AwsSettings.from(new Environment(env));
    try (DynamoDbClient dynamo = AwsClients.dynamo(aws)) {
      DemoData.createTable(dynamo, name);
      new DemoData(3).seed(dynamo, name, items, n -> {});
    }
    return env;
  }

  Process start(Map<String, String> env, String name, String... args) throws Exception {
    return JobProcess.in(logs).cli(name, env, args);
  }

  Exit await(Process process, String name) throws Exception {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished within 120 s", name).isTrue();
    return new Exit(process.exitValue(), Files.readString(logs.resolve(name + ".out"), StandardCharsets.UTF_8),
        Files.readString(logs.resolve(name + ".err"), StandardCharsets.UTF_8));
  }

  Exit run(Map<String, String> env, String name, String... args) throws Exception {
    return await(start(env, name, args), name);
  }

  Exit ok(Map<String, String> env, String name, String... args) throws Exception {
    Exit exit = run(env, name, args);
    assertThat(exit.code()).as("%s exit code; stderr: %s", name, exit.err()).isZero();
    return exit;
  }

  static Map<String, String> node(Map<String, String> env, int index, int nodes) {
    Map<String, String> node = new HashMap<>(env);
    node.put("AWS_BATCH_JOB_NODE_INDEX", Integer.toString(index));
    node.put("AWS_BATCH_JOB_NUM_NODES", Integer.toString(nodes));
    return node;
  }

  static String[] phase(String phase, String schema) {
    return new String[] {"etl", "dynamo", phase, "--target-schema", schema};
  }

  @Test
  void everyPhaseRunTwiceInARowSucceedsAndSaysItsWorkIsDone() throws Exception {
    Map<String, String> env = table("twice", 400, "batch-run-1");
    Process node0 = start(node(env, 0, 2), "phase1-0", phase("phase1", "twice"));
    Process node1 = start(node(env, 1, 2), "phase1-1", phase("phase1", "twice"));
    Exit n0 = await(node0, "phase1-0");
    assertThat(n0.code()).as(n0.err()).isZero();
    Exit n1 = await(node1, "phase1-1");
    assertThat(n1.code()).as(n1.err()).isZero();
    assertThat(ok(node(env, 0, 2), "phase1-0-again", phase("phase1", "twice")).out()).contains("Nothing to do", "already staged");

    Exit early = run(env, "phase4-early", phase("phase4", "twice"));
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.err()).contains("phase2");

    // phase2 and phase4 read the number of segments from the run's manifests.
    ok(env, "phase2", phase("phase2", "twice"));
    assertThat(ok(env, "phase2-again", phase("phase2", "twice")).out()).contains("Nothing to do", "already prepared");
    Process load0 = start(node(env, 0, 2), "phase3-0", phase("phase3", "twice"));
    Process load1 = start(node(env, 1, 2), "phase3-1", phase("phase3", "twice"));
    Exit l0 = await(load0, "phase3-0");
    assertThat(l0.code()).as(l0.err()).isZero();
    Exit l1 = await(load1, "phase3-1");
    assertThat(l1.code()).as(l1.err()).isZero();
    assertThat(ok(node(env, 1, 2), "phase3-1-again", phase("phase3", "twice")).out()).contains("already loaded");
    assertThat(ok(env, "phase3-all", phase("phase3", "twice")).out()).contains("already loaded");

    Exit published = ok(env, "phase4", phase("phase4", "twice"));
    assertThat(published.out()).contains("Published twice (run batch-run-1)", "vulnerability_metadata");
    assertThat(ok(env, "phase4-again", phase("phase4", "twice")).out())
        .contains("Nothing to do: already published run batch-run-1");
    assertThat(ok(node(env, 0, 2), "phase3-after", phase("phase3", "twice")).out()).contains("already published");
    assertThat(ok(node(env, 1, 2), "phase1-after", phase("phase1", "twice")).out()).contains("already published");
    assertThat(ok(env, "phase2-after", phase("phase2", "twice")).out()).contains("already published");

    assertWarehouseHoldsTheTable(env, "twice", "twice");
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM twice.vulnerability_metadata")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(400 / 40 * 9);
    }
    // Batch logs are JSON lines for CloudWatch, without secrets.
    assertThat(Files.readAllLines(logs.resolve("phase1-0.err"))).filteredOn(l -> l.startsWith("{"))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"level\""));
    assertThat(new File(logs.toFile(), "phase1-0.err")).content().doesNotContain(DemoStack.ACCESS_KEY + "secret");
  }

  /** Kills the process once {@code when} holds (or at once when it is null); polls, bounded. */
  void killWhen(Process process, String name, BooleanSupplier when) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (when != null && process.isAlive() && !when.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s reached its kill point within 60 s", name).isLessThan(deadline);
      // Between two looks: back at once if the process ends (then it missed its kill point).
      process.waitFor(5, TimeUnit.MILLISECONDS);
    }
    assertThat(process.isAlive()).as("%s was still at work when its kill point came", name).isTrue();
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  static Connection poller;

  /** A count on one kept connection, so that polls are quick; 0 while the table is not there yet. */
  static synchronized long count(String sql) {
    try {
      if (poller == null) {
        poller = DriverManager.getConnection(stack.jdbcUrl());
      }
      try (Statement s = poller.createStatement(); ResultSet r = s.executeQuery(sql)) {
        r.next();
        return r.getLong(1);
      }
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * Holds the lock of the staging schema "killed_loading" shared (made as the warehouse client makes
   * it, when missing): a preparation or swap then waits for it inside its transaction, so a kill
   * lands there for certain. Released by closing the connection.
   */
  static Connection holdStagingLock() throws Exception {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS observes_meta");
      s.execute("CREATE TABLE IF NOT EXISTS observes_meta.lock_killed_loading (held_by VARCHAR(128))");
    }
    Connection c = DriverManager.getConnection(stack.jdbcUrl());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE observes_meta.lock_killed_loading IN SHARE MODE");
    }
    return c;
  }

  static final BooleanSupplier WAITING_FOR_STAGING_LOCK = () -> count("SELECT COUNT(*) FROM pg_locks l "
      + "JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'lock_killed_loading' AND NOT l.granted") > 0;

  static BooleanSupplier running(String run, String phase) {
    return () -> count("SELECT COUNT(*) FROM observes_meta.runs WHERE run_id = '" + run + "' AND phase = '" + phase
        + "' AND status = 'RUNNING'") > 0;
  }

  @Test
  void everyPhaseKilledAtSeveralPointsAndRunAgainLoadsEveryItemOnce() throws Exception {
    String run = "killed-" + (++runs);
    Map<String, String> env = table("killed", 2500, run);
    String[] phase1 = phase("phase1", "killed");
    // phase1: before anything happened, while scanning, then for real.
    killWhen(start(node(env, 0, 2), "k1-a", phase1), "k1-a", null);
    killWhen(start(node(env, 0, 2), "k1-b", phase1), "k1-b", running(run, "stage"));
    ok(node(env, 0, 2), "k1-c", phase1);
    killWhen(start(node(env, 1, 2), "k1-d", phase1), "k1-d", running(run, "stage"));
    ok(node(env, 1, 2), "k1-e", phase1);

    String[] phase2 = phase("phase2", "killed");
    // Killed inside its one transaction (waiting for the staging lock), then at once, then for real.
    try (Connection lock = holdStagingLock()) {
      killWhen(start(env, "k2-a", phase2), "k2-a", WAITING_FOR_STAGING_LOCK);
    }
    killWhen(start(env, "k2-b", phase2), "k2-b", null);
    ok(env, "k2-c", phase2);

    String[] phase3 = phase("phase3", "killed");
    // Killed after some tables committed (each with its one COPY), then while it starts, then for real.
    killWhen(start(env, "k3-a", phase3), "k3-a", () -> count("SELECT COUNT(*) FROM killed_loading._observes_loads") >= 3);
    long loaded = count("SELECT COUNT(*) FROM killed_loading._observes_loads");
    killWhen(start(env, "k3-b", phase3), "k3-b", running(run, "load"));
    Exit rest = ok(env, "k3-c", phase3);
    assertThat(count("SELECT COUNT(*) FROM killed_loading._observes_loads")).isGreaterThan(loaded);
    assertThat(rest.out()).contains("(already loaded)");
    assertThat(ok(env, "k3-d", phase3).out()).contains("every table of run " + run + " is already loaded");

    String[] phase4 = phase("phase4", "killed");
    // Killed after verifying, inside the swap transaction; then again while verifying.
    try (Connection lock = holdStagingLock()) {
      killWhen(start(env, "k4-a", phase4), "k4-a", WAITING_FOR_STAGING_LOCK);
    }
    assertThat(count("SELECT COUNT(*) FROM killed_loading._observes_run")).as("the swap was rolled back").isEqualTo(1);
    killWhen(start(env, "k4-b", phase4), "k4-b", running(run, "publish"));
    // Killed before or after its commit: the rerun publishes, or finds it published.
    Exit published = ok(env, "k4-c", phase4);
    assertThat(published.out()).containsAnyOf("Published killed", "already published run " + run);
    assertThat(ok(env, "k4-d", phase4).out()).contains("already published run " + run);

    assertWarehouseHoldsTheTable(env, "killed", "killed");
    // Killed phases stay RUNNING in the run log; every phase has a SUCCEEDED row.
    assertThat(count("SELECT COUNT(DISTINCT phase) FROM observes_meta.runs WHERE run_id = '" + run
        + "' AND status = 'SUCCEEDED'")).isEqualTo(4);
  }

  /** Every DynamoDB item rebuilt from the warehouse equals the item, and no other fact is there. */
  static void assertWarehouseHoldsTheTable(Map<String, String> env, String table, String schema) throws Exception {
    TableRouting routing = io.observes.cli.TestAccess.bundledRouting();
    Set<String> source = new TreeSet<>();
    try (DynamoDbClient dynamo = AwsClients.dynamo(AwsSettings.from(new Environment(env)))) {
      dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> source.addAll(WarehouseRebuild.facts(
          routing.tableOf(item, "pk", "sk"), item.get("pk").s() + "/" + item.get("sk").s(), DynamoItems.toValue(item))));
    }
    WarehouseRebuild.assertHolds(source, WarehouseRebuild.facts(stack.jdbcUrl(), schema, "pk", "sk"));
  }
}
