package io.observes.etl.dynamo;

import io.observes.testing.ExportStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The dynamo ETL from DynamoDB exports, through its CLI: DynamoDB Local behind {@link ExportStandIn}
 * (which adds the export API), s3proxy, embedded PostgreSQL.
 */
class DynamoExportTest {
  static ExportStack fixture;
  static DemoStack stack;
  static DynamoDbClient dynamo;
  static S3Client s3;
  static ExportStandIn exports;
  static int table;

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

  static String freshTable(int items) {
    String name = "export" + (++table);
    DemoData.createTable(dynamo, name);
    new DemoData(17).seed(dynamo, name, items, n -> {});
    DynamoEtlTest.badItems().forEach(item -> dynamo.putItem(b -> b.tableName(name).item(item)));
    return name;
  }

  record Result(int code, String out, String err) {}

  /** The CLI with the SDK pointed at the stand-in, which forwards all but the export API to DynamoDB Local. */
  static Result cli(String table, String... args) {
    Map<String, String> env = TestDialect.apply(stack.environment(table));
    env.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
    CommandLine cli = Main.commandLine(new Environment(env));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> argv = new ArrayList<>(List.of("etl", "dynamo"));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--target-schema", table));
    return new Result(cli.execute(argv.toArray(String[]::new)), out.toString(), err.toString());
  }

  static Result ok(Result r) {
    assertThat(r.code()).as("exit code; stdout: %s; stderr: %s", r.out(), r.err()).isZero();
    return r;
  }

  static String exportId(Result exported) {
    Matcher m = Pattern.compile("Export ([0-9]{14}-[0-9a-f]{8}): ").matcher(exported.out());
    assertThat(m.find()).as(exported.out()).isTrue();
    return m.group(1);
  }

  static Set<String> sourceFacts(String table) {
    return sourceFactsOf(dynamo, table);
  }

  static Set<String> sourceFactsOf(DynamoDbClient dynamo, String table) {
    Set<String> facts = new TreeSet<>();
    TableRouting routing = io.observes.cli.TestAccess.bundledRouting();
    dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> facts.addAll(WarehouseRebuild.facts(
        routing.tableOf(item, "pk", "sk"), item.get("pk").s() + "/" + item.get("sk").s(), DynamoItems.toValue(item))));
    return facts;
  }

  /** The run's schema document (whole, where warehouse column comments may be cut), as DynamoEtlTest reads it. */
  static io.observes.pipeline.schema.Schema runSchema(String run) {
    return runSchemaOf(s3, run);
  }

  static io.observes.pipeline.schema.Schema runSchemaOf(S3Client s3, String run) {
    List<io.observes.pipeline.schema.TableSchema> tables = new ArrayList<>();
    for (String bucket : new String[] {DemoStack.DATA_BUCKET, DemoStack.CACHE_BUCKET}) {
      s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key())
          .filter(k -> k.endsWith("/" + run + "/schema.json") || k.contains("/schemas/") && k.endsWith(".json"))
          .forEach(k -> tables.addAll(io.observes.pipeline.schema.SchemaDocument.read(
              s3.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asByteArray(), k).tables()));
    }
    assertThat(tables).isNotEmpty();
    return new io.observes.pipeline.schema.Schema(tables);
  }

  static void phases2to4(String table, String run) {
    ok(cli(table, "phase2", "--run-id", run));
    ok(cli(table, "phase3", "--run-id", run));
    ok(cli(table, "phase4", "--run-id", run));
  }

  @Test
  void anExportLoadedOverSeveralSegmentsIsTheTable() throws Exception {
    String table = freshTable(900);
    int describes = exports.describeCalls();
    Result exported = ok(cli(table, "export", "--poll-seconds", "1"));
    assertThat(exports.describeCalls() - describes).as("IN_PROGRESS, then COMPLETED").isEqualTo(2);
    assertThat(exported.out()).contains("IN_PROGRESS", "COMPLETED", "in 5 data files", "Recorded in s3://"
        + DemoStack.STATE_BUCKET + "/dynamodb/state.json");
    Set<String> before = sourceFacts(table);
    // Changed after the export: the warehouse holds the snapshot, not the live table.
    dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", DynamoEtlTest.s("VULN#bad-1"), "sk", DynamoEtlTest.s("FIN#x"))));

    for (int segment = 0; segment < 3; segment++) {
      Result staged = ok(cli(table, "phase1", "--source", "export", "--segment", Integer.toString(segment),
          "--total-segments", "3", "--run-id", "x1"));
      assertThat(staged.out()).contains("Reading export", exportId(exported), "pinned to run x1");
    }
    phases2to4(table, "x1");
    WarehouseRebuild.assertHolds(before, WarehouseRebuild.facts(stack.jdbcUrl(), table, runSchema("x1"),
        "pk", "sk"));
    assertThat(before).anyMatch(f -> f.contains("VULN#bad-1"));
    // Its freshness counts from the export's time, recorded with the publish.
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(stack.jdbcUrl());
        java.sql.ResultSet r = c.createStatement().executeQuery("SELECT data_as_of FROM observes_meta.runs WHERE run_id = 'x1' "
            + "AND phase = 'publish' AND status = 'SUCCEEDED'")) {
      assertThat(r.next()).isTrue();
      String recorded = new com.fasterxml.jackson.databind.ObjectMapper().readTree(s3.getObjectAsBytes(b -> b
          .bucket(DemoStack.STATE_BUCKET).key("dynamodb/state.json")).asByteArray()).path("data").path("full_export").path("export_time").asText();
      assertThat(r.getTimestamp(1).toInstant()).as("the export's time").isEqualTo(java.time.Instant.parse(recorded));
    }

    // A scan may not join a run that reads an export.
    Result scan = cli(table, "phase1", "--source", "scan", "--segment", "0", "--total-segments", "3", "--run-id", "x1");
    assertThat(scan.code()).isEqualTo(2);
    assertThat(scan.err()).contains("reads export", "mix the live table");
  }

  @Test
  void aCompletedExportIsReusedByIdAndAPinnedRunRefusesAnother() throws Exception {
    String table = freshTable(300);
    String first = exportId(ok(cli(table, "export", "--poll-seconds", "1")));
    String second = exportId(ok(cli(table, "export", "--poll-seconds", "1")));
    int describes = exports.describeCalls();
    Result reused = ok(cli(table, "export", "--export-id", first, "--poll-seconds", "1"));
    assertThat(reused.out()).doesNotContain("Started export").contains("Export " + first + ": ", "COMPLETED");
    assertThat(exports.describeCalls() - describes).as("one DescribeExport: it is done").isEqualTo(1);

    // The state now names the first one: phase1 without --export-id reads it, and pins it.
    ok(cli(table, "phase1", "--source", "export", "--segment", "0", "--total-segments", "2", "--run-id", "r1"));
    Result other = cli(table, "phase1", "--export-id", second, "--segment", "1", "--total-segments", "2", "--run-id", "r1");
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("reads export", first, "every segment of a run reads one export");
    // Without --source, a run with a pinned export reads it.
    assertThat(ok(cli(table, "phase1", "--segment", "1", "--total-segments", "2", "--run-id", "r1")).out()).contains(first);
    phases2to4(table, "r1");
    WarehouseRebuild.assertHolds(sourceFacts(table), WarehouseRebuild.facts(stack.jdbcUrl(), table,
        runSchema("r1"), "pk", "sk"));
  }

  @Test
  void aFailedExportAndATableWithoutPointInTimeRecoveryAreClearErrors() {
    String table = freshTable(50);
    exports.failNext("S3NoSuchBucket", "The specified bucket does not exist");
    Result failed = cli(table, "export", "--poll-seconds", "1");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).contains("FAILED: S3NoSuchBucket: The specified bucket does not exist");

    exports.withoutPointInTimeRecovery(table);
    Result pitr = cli(table, "export");
    assertThat(pitr.code()).isEqualTo(2);
    assertThat(pitr.err()).contains("point-in-time recovery (PITR) is not enabled on table " + table,
        "Point in time recovery is not enabled for table '" + table + "'", "point_in_time_recovery", "--source scan");
  }

  @Test
  void aManifestNamingAFileOutsideTheExportIsRefusedAndADamagedFileNamed() throws Exception {
    String table = freshTable(200);
    Result exported = ok(cli(table, "export", "--poll-seconds", "1"));
    String id = exportId(exported);
    String directory = "dynamodb/exports/AWSDynamoDB/" + id + "/";
    String filesKey = directory + "manifest-files.json";
    String manifest = s3.getObjectAsBytes(b -> b.bucket(DemoStack.DATA_BUCKET).key(filesKey)).asString(StandardCharsets.UTF_8);
    String firstKey = manifest.substring(manifest.indexOf(directory + "data/"), manifest.indexOf(".json.gz") + 8);

    for (String hostile : List.of("dynamodb/r1/segment=0/manifest.json", directory + "data/../../../state.json.gz",
        directory + "manifest-files.json")) {
      put(filesKey, manifest.replace(firstKey, hostile));
      Result refused = cli(table, "phase1", "--export-id", id, "--segment", "0", "--total-segments", "1", "--run-id", "h1");
      assertThat(refused.code()).as(hostile).isEqualTo(1);
      assertThat(refused.err()).contains("is not a plain <name>.json.gz in the export's data folder " + directory + "data/",
          "refusing to read it");
    }
    put(filesKey, manifest);

    byte[] original = s3.getObjectAsBytes(b -> b.bucket(DemoStack.DATA_BUCKET).key(firstKey)).asByteArray();
    put(firstKey, gzip("{\"Item\":{\"pk\":{\"S\":\"VULN#x\"},\"sk\":{\"S\":\"FIN#x\"}}}\n"));
    // Retries of the one run: the failed attempts left its lease held, which a retry joins.
    Result damaged = cli(table, "phase1", "--export-id", id, "--segment", "0", "--total-segments", "1", "--run-id", "h1");
    assertThat(damaged.code()).isEqualTo(1);
    assertThat(damaged.err()).contains(firstKey, "the export's manifest says");
    put(firstKey, original);
    ok(cli(table, "phase1", "--export-id", id, "--segment", "0", "--total-segments", "1", "--run-id", "h1"));
  }

  static void put(String key, String text) {
    put(key, text.getBytes(StandardCharsets.UTF_8));
  }

  static void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(DemoStack.DATA_BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  static byte[] gzip(String text) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
