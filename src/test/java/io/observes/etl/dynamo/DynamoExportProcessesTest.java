package io.observes.etl.dynamo;

import io.observes.testing.ExportStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import io.observes.testing.JobProcess;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The export chain as AWS Batch runs it: every command its own JVM configured by environment
 * variables only, {@code export} then phase1 on two nodes from the export (killed at several
 * points and run again), then phases 2-4. The stand-in runs in this JVM; the processes reach it
 * over HTTP as they would reach DynamoDB.
 */
class DynamoExportProcessesTest {
  @TempDir static Path logs;
  static ExportStack fixture;
  static DemoStack stack;
  static DynamoDbClient dynamo;
  static S3Client s3;
  static ExportStandIn exports;

  record Exit(int code, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    fixture = ExportStack.start();
    stack = fixture.stack();
    dynamo = fixture.dynamo();
    s3 = fixture.s3();
    exports = fixture.exports();
    exports.dataFiles(7);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  Process start(Map<String, String> env, String name, String... args) throws Exception {
    return JobProcess.in(logs).cli(name, env, args);
  }

  Exit ok(Map<String, String> env, String name, String... args) throws Exception {
    Process process = start(env, name, args);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished within 120 s", name).isTrue();
    Exit exit = new Exit(process.exitValue(), Files.readString(logs.resolve(name + ".out"), StandardCharsets.UTF_8),
        Files.readString(logs.resolve(name + ".err"), StandardCharsets.UTF_8));
    assertThat(exit.code()).as("%s exit code; stderr: %s", name, exit.err()).isZero();
    return exit;
  }

  static boolean exists(String key) {
    return s3.listObjectsV2(b -> b.bucket(DemoStack.DATA_BUCKET).prefix(key)).keyCount() > 0;
  }

  static long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void phase1FromAnExportKilledAndRunAgainLoadsEveryItemOnce() throws Exception {
    String table = "exported";
    DemoData.createTable(dynamo, table);
    new DemoData(5).seed(dynamo, table, 2000, n -> {});
    Map<String, String> env = TestDialect.apply(stack.environment(table));
    env.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
    env.put("OBSERVES_RUN_ID", "chain-1");
    env.put("OBSERVES_WORK_DIR", logs.toString());
    String[] schema = {"--target-schema", table};

    // As the catalogue chain runs it: export pins the export to the run; phase1 then reads it unasked.
    Exit exported = ok(env, "export", concat(new String[] {"etl", "dynamo", "export", "--poll-seconds", "1"}, schema));
    assertThat(exported.out()).contains("COMPLETED", "in 7 data files", "Pinned to run chain-1");
    String[] phase1 = concat(new String[] {"etl", "dynamo", "phase1"}, schema);
    JobProcess.in(logs).killWhen(start(BatchNodes.node(env, 0, 2), "k1-b", phase1), "k1-b",
        () -> exists("dynamodb/chain-1/segment=0/"));
    assertThat(ok(BatchNodes.node(env, 0, 2), "k1-c", phase1).out()).contains("Reading export", "Staged segment 0");
    JobProcess.in(logs).killWhen(start(BatchNodes.node(env, 1, 2), "k1-d", phase1), "k1-d",
        () -> exists("dynamodb/chain-1/segment=1/"));
    ok(BatchNodes.node(env, 1, 2), "k1-e", phase1);
    for (String phase : new String[] {"phase2", "phase3", "phase4"}) {
      ok(env, phase, concat(new String[] {"etl", "dynamo", phase}, schema));
    }

    TableRouting routing = io.observes.cli.TestAccess.bundledRouting();
    java.util.Set<String> source = new java.util.TreeSet<>();
    dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> source.addAll(WarehouseRebuild.facts(
        routing.tableOf(item, "pk", "sk"), item.get("pk").s() + "/" + item.get("sk").s(), DynamoItems.toValue(item))));
    WarehouseRebuild.assertHolds(source, WarehouseRebuild.facts(stack.jdbcUrl(), table, "pk", "sk"));
    // Facts are sets: count the rows too. One root row per item, no id twice.
    long roots = 0;
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns p WHERE "
            + "p.table_schema = t.table_schema AND p.table_name = t.table_name AND p.column_name = '_parent_id') "
            + "FROM information_schema.tables t WHERE t.table_schema = '" + table + "' AND t.table_name NOT LIKE '\\_%'")) {
      while (r.next()) {
        String name = "\"" + table + "\".\"" + r.getString(1) + "\"";
        assertThat(count("SELECT COUNT(*) - COUNT(DISTINCT _observes_id) FROM " + name)).as(name).isZero();
        roots += r.getBoolean(2) ? 0 : count("SELECT COUNT(*) FROM " + name);
      }
    }
    assertThat(roots).isEqualTo(dynamo.scanPaginator(b -> b.tableName(table)).items().stream().count());
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
