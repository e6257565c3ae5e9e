package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.testing.JobProcess;
import io.observes.testing.PostgresStandIn;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo stack with its buckets, and the platform ETL's phases on it as AWS Batch nodes run them:
 * each its own JVM, configured only by environment variables, its output in {@code logs}.
 */
final class BatchNodes implements AutoCloseable {
  record Exit(int code, String out, String err) {}

  final DemoStack stack;
  private final Path logs;
  private Connection poller;

  private BatchNodes(DemoStack stack, Path logs) {
    this.stack = stack;
    this.logs = logs;
  }

  static BatchNodes start(Path logs) throws Exception {
    DemoStack stack = DemoStack.start(PostgresStandIn::forStack);
    AwsSettings aws = AwsSettings.from(new Environment(stack.environment("unused")));
    try (S3Client s3 = AwsClients.s3(aws)) {
      s3.createBucket(b -> b.bucket(DemoStack.DATA_BUCKET));
      s3.createBucket(b -> b.bucket(DemoStack.CACHE_BUCKET));
      s3.createBucket(b -> b.bucket(DemoStack.STATE_BUCKET));
    }
    return new BatchNodes(stack, logs);
  }

  @Override
  public void close() throws Exception {
    if (poller != null) {
      poller.close();
    }
    stack.close();
  }

  /** A fresh DynamoDB table seeded with the demo data, and the environment of its runs. */
  Map<String, String> table(String name, int items, String runId) throws Exception {
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

  Path log(String name) {
    return logs.resolve(name);
  }

  void killWhen(Process process, String name, BooleanSupplier when) throws Exception {
    JobProcess.in(logs).killWhen(process, name, when);
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

  /** A count on one kept connection, so that polls are quick; 0 while the table is not there yet. */
  synchronized long count(String sql) {
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
  Connection holdStagingLock() throws Exception {
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

  BooleanSupplier waitingForStagingLock() {
    return () -> count("SELECT COUNT(*) FROM pg_locks l "
        + "JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'lock_killed_loading' AND NOT l.granted") > 0;
  }

  BooleanSupplier running(String run, String phase) {
    return () -> count("SELECT COUNT(*) FROM observes_meta.runs WHERE run_id = '" + run + "' AND phase = '" + phase
        + "' AND status = 'RUNNING'") > 0;
  }

  /** Every DynamoDB item rebuilt from the warehouse equals the item, and no other fact is there. */
  void assertWarehouseHoldsTheTable(Map<String, String> env, String table, String schema) throws Exception {
    TableRouting routing = io.observes.cli.TestAccess.bundledRouting();
    Set<String> source = new TreeSet<>();
    try (DynamoDbClient dynamo = AwsClients.dynamo(AwsSettings.from(new Environment(env)))) {
      dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> source.addAll(WarehouseRebuild.facts(
          routing.tableOf(item, "pk", "sk"), item.get("pk").s() + "/" + item.get("sk").s(), DynamoItems.toValue(item))));
    }
    WarehouseRebuild.assertHolds(source, WarehouseRebuild.facts(stack.jdbcUrl(), schema, "pk", "sk"));
  }
}
