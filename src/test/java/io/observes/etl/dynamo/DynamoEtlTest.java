package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.testing.PostgresStandIn;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/** The dynamo ETL through its CLI, on DynamoDB Local, s3proxy and embedded PostgreSQL. */
class DynamoEtlTest {
  static DemoStack stack;
  static DynamoDbClient dynamo;
  static int table;

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start(PostgresStandIn::forStack);
    AwsSettings aws = AwsSettings.from(new Environment(stack.environment("unused")));
    dynamo = AwsClients.dynamo(aws);
    try (S3Client s3 = AwsClients.s3(aws)) {
      for (String bucket : new String[] {DemoStack.DATA_BUCKET, DemoStack.CACHE_BUCKET, DemoStack.STATE_BUCKET}) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    dynamo.close();
    stack.close();
  }

  /**
   * The schema document of the ETL (column comments may be cut, Redshift keeping 256 bytes; it is
   * whole): the run's pinned one while its staging is kept, else the schema cache it was pinned from.
   */
  static io.observes.pipeline.schema.Schema runSchema(String run) {
    try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Environment(stack.environment("unused"))))) {
      List<String[]> keys = new java.util.ArrayList<>();
      for (String bucket : new String[] {DemoStack.DATA_BUCKET, DemoStack.CACHE_BUCKET}) {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(new String[] {bucket, o.key()}));
      }
      // Every schema document there: the one naming the table's columns is among them.
      List<io.observes.pipeline.schema.TableSchema> tables = new java.util.ArrayList<>();
      keys.stream().filter(k -> k[1].endsWith("/" + run + "/schema.json") || k[1].contains("/schemas/") && k[1].endsWith(".json"))
          .forEach(k -> tables.addAll(io.observes.pipeline.schema.SchemaDocument.read(
              s3.getObjectAsBytes(b -> b.bucket(k[0]).key(k[1])).asByteArray(), k[1]).tables()));
      assertThat(tables).as("schema documents among %s", keys.stream().map(k -> k[0] + "/" + k[1]).toList()).isNotEmpty();
      return new io.observes.pipeline.schema.Schema(tables);
    }
  }

  /** A fresh DynamoDB table, seeded with {@code items} demo items plus {@code extra}. */
  static String freshTable(int items, List<Map<String, AttributeValue>> extra) {
    String name = "table" + (++table);
    DemoData.createTable(dynamo, name);
    new DemoData(11).seed(dynamo, name, items, n -> {});
    extra.forEach(item -> dynamo.putItem(b -> b.tableName(name).item(item)));
    return name;
  }

  record Result(int code, String out, String err) {}

  static Result cli(String table, String... args) {
    Map<String, String> env = TestDialect.apply(stack.environment(table));
    CommandLine cli = Main.commandLine(new Environment(env));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> argv = new java.util.ArrayList<>(List.of("etl", "dynamo"));
    argv.addAll(List.of(args));
    // A run id names one refresh of one target: each test's table gets runs of its own.
    int run = argv.indexOf("--run-id");
    if (run >= 0) {
      argv.set(run + 1, argv.get(run + 1) + "-" + table);
    }
    argv.addAll(List.of("--target-schema", table));
    return new Result(cli.execute(argv.toArray(String[]::new)), out.toString(), err.toString());
  }

  static void ok(Result r) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
  }

  static Set<String> sourceFacts(String table) {
    Set<String> facts = new TreeSet<>();
    TableRouting routing = io.observes.cli.TestAccess.bundledRouting();
    dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
      String stream = routing.tableOf(item, "pk", "sk");
      facts.addAll(WarehouseRebuild.facts(stream, item.get("pk").s() + "/" + item.get("sk").s(), DynamoItems.toValue(item)));
    });
    return facts;
  }

  static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }

  static AttributeValue n(String v) {
    return AttributeValue.builder().n(v).build();
  }

  static Map<String, AttributeValue> item(String pk, String sk, Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
    item.put("pk", s(pk));
    item.put("sk", s(sk));
    return item;
  }

  /** Items that have broken ETLs before. */
  static List<Map<String, AttributeValue>> badItems() {
    Map<String, AttributeValue> deep = Map.of("leaf", s("bottom"));
    for (int level = 29; level >= 0; level--) {
      deep = Map.of("level_" + level + "_with_a_longish_name", AttributeValue.builder().m(deep).build());
    }
    return List.of(
        item("VULN#bad-1", "FIN#x", Map.of(
            "long_text", s("é".repeat(20_000)),
            "too_long", s("x".repeat(70_000)),
            "nul", s("before\u0000after"),
            "n38", n("12345678901234567890123456789012345678"),
            "tiny", n("1E-130"),
            "huge", n("9.9999999999999999999999999999999999999E+125"),
            "key with spaces", s("spaces"),
            "quote\"d 'key'", s("quotes"),
            "ключ", s("unicode key"),
            "select", s("reserved word"))),
        item("VULN#bad-2", "FIN#x", Map.of(
            "x\"; DROP TABLE vulnerabilities; --", s("SQL text in a key"),
            "empty_list", AttributeValue.builder().l(List.of()).build(),
            "empty_map", AttributeValue.builder().m(Map.of()).build(),
            "bytes", AttributeValue.builder().b(SdkBytes.fromByteArray(new byte[] {0, 1, 2, -128, 127})).build(),
            "byte_set", AttributeValue.builder().bs(SdkBytes.fromByteArray(new byte[] {9}), SdkBytes.fromByteArray(new byte[] {1})).build(),
            "numbers", AttributeValue.builder().ns("10", "-2.5", "3").build(),
            "deep", AttributeValue.builder().m(deep).build())),
        item("VULN#bad-3", "FIN#x", Map.of(
            // Equal in their first 63 bytes (PostgreSQL keeps no more), and system column names.
            "long_attribute_name_long_attribute_name_long_attribute_name_long_a", s("first"),
            "long_attribute_name_long_attribute_name_long_attribute_name_long_b", s("second"),
            "xmin", s("not a system column here"), "ctid", s("nor this"), "oid", n("7"))),
        item("SOMETHING#else", "ELSE#1", Map.of("note", s("no route matches me"))));
  }

  @Test
  void everyItemArrivesExactlyThroughSeparatePhases() throws Exception {
    String table = freshTable(1200, badItems());
    for (int segment = 0; segment < 4; segment++) {
      ok(cli(table, "phase1", "--segment", Integer.toString(segment), "--total-segments", "4", "--run-id", "r1"));
    }
    ok(cli(table, "phase2", "--total-segments", "4", "--run-id", "r1"));
    for (int segment = 0; segment < 4; segment++) {
      ok(cli(table, "phase3", "--segment", Integer.toString(segment), "--total-segments", "4", "--run-id", "r1"));
    }
    Result published = cli(table, "phase4", "--total-segments", "4", "--run-id", "r1");
    ok(published);
    assertThat(published.out()).contains("vulnerability_metadata", "vulnerability_historic_state", "something__else", "_rejected");

    Set<String> warehouse = WarehouseRebuild.facts(stack.jdbcUrl(), table, runSchema("r1"), "pk", "sk");
    Set<String> source = sourceFacts(table);
    WarehouseRebuild.assertHolds(source, warehouse);
    assertThat(warehouse).hasSizeGreaterThan(10_000);
    assertThat(source).anyMatch(f -> f.contains("huge=")).anyMatch(f -> f.contains("level_29_with_a_longish_name.leaf"));

    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT reason FROM \"" + table + "\"._rejected WHERE raw_part = 0 ORDER BY source_path")) {
        List<String> reasons = new java.util.ArrayList<>();
        while (r.next()) {
          reasons.add(r.getString(1));
        }
        assertThat(reasons).hasSize(2).anySatisfy(x -> assertThat(x).contains("NUL"))
            .anySatisfy(x -> assertThat(x).contains("70000 UTF-8 bytes"));
      }
      try (ResultSet r = s.executeQuery("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '\""
          + table + "\".vulnerability_metadata'::regclass AND a.attname IN ('n38', 'huge', 'tiny', 'long_text') ORDER BY a.attname")) {
        List<String> types = new java.util.ArrayList<>();
        while (r.next()) {
          types.add(r.getString(1));
        }
        // Beyond NUMERIC(38) numbers stay text; DynamoDB hands them out in plain notation (1E-130 is 132 characters).
        assertThat(types).containsExactly("character varying(128)", "character varying(65535)", "numeric(38,0)", "character varying(256)");
      }
    }
  }

  static long count(String schema, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"" + schema + "\".\"" + table + "\"")) {
      r.next();
      return r.getLong(1);
    }
  }

  /**
   * On the demo's data (and the items that broke ETLs before: rejected values, deep nesting, odd names), in
   * segments run as separate phases, each table the swap published is profiled from its staged counts, and
   * that profile is a scan's, table by table and column by column.
   */
  @Test
  void theProfileFromStagedCountsIsTheScanOnTheDemoData() throws Exception {
    String table = freshTable(600, badItems());
    for (int segment = 0; segment < 3; segment++) {
      ok(cli(table, "phase1", "--segment", Integer.toString(segment), "--total-segments", "3", "--run-id", "p1"));
    }
    ok(cli(table, "phase2", "--total-segments", "3", "--run-id", "p1"));
    ok(cli(table, "phase3", "--total-segments", "3", "--run-id", "p1"));
    ok(cli(table, "phase4", "--total-segments", "3", "--run-id", "p1"));

    try (io.observes.warehouse.WarehouseClient warehouse = io.observes.warehouse.Warehouses.open(
        io.observes.warehouse.WarehouseConfig.from(new Environment(TestDialect.apply(stack.environment(table))), null))) {
      List<String> compared = io.observes.testing.ProfileAgreement.assertStagedIsScanned(warehouse, "dynamodb",
          "p1-" + table, table);
      assertThat(compared).contains("vulnerability_metadata", "vulnerability_historic_state", "_rejected")
          .hasSizeGreaterThan(20);
    }
  }

  @Test
  void retriedPhasesNeverDoubleRowsAndPublishWaitsForEveryTable() throws Exception {
    String table = freshTable(600, List.of());
    // As in production, the weekly schema determination cached the columns before this refresh.
    ok(cli(table, "determine-schema", "--segments", "4", "--concurrency", "2"));
    for (int segment = 0; segment < 3; segment++) {
      ok(cli(table, "phase1", "--segment", Integer.toString(segment), "--total-segments", "3", "--run-id", "r1"));
    }
    Result again = cli(table, "phase1", "--segment", "1", "--total-segments", "3", "--run-id", "r1");
    ok(again);
    assertThat(again.out()).contains("already staged");
    ok(cli(table, "phase2", "--run-id", "r1"));

    Result refused = cli(table, "phase4", "--run-id", "r1");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("vulnerability_metadata").contains("are not loaded").contains("Run phase3 again");

    Result loaded = cli(table, "phase3", "--run-id", "r1");
    ok(loaded);
    // One COPY per table: each loads the table's files of all three segments.
    long tables = count(table + "_loading", "_observes_loads");
    assertThat(loaded.out()).contains(tables + " tables, " + tables + " COPY statements");
    Result twice = cli(table, "phase3", "--run-id", "r1");
    ok(twice);
    assertThat(twice.out()).contains("already loaded");
    assertThat(count(table + "_loading", "_observes_loads")).isEqualTo(tables);

    ok(cli(table, "phase4", "--run-id", "r1"));
    long items = dynamo.scanPaginator(b -> b.tableName(table)).items().stream()
        .filter(i -> i.get("pk").s().startsWith("VULN#") && i.get("sk").s().startsWith("FIN#")).count();
    assertThat(count(table, "vulnerability_metadata")).isEqualTo(items).isPositive();
  }

  @Test
  void aMissingStagedSegmentIsNamedBeforeAnythingIsPrepared() {
    String table = freshTable(50, List.of());
    ok(cli(table, "phase1", "--segment", "0", "--total-segments", "2", "--run-id", "r1"));
    Result refused = cli(table, "phase2", "--total-segments", "2", "--run-id", "r1");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("segment(s) [1]").contains("phase1");
  }

  @Test
  void anAttributeAddedAfterSchemaDeterminationArrives() throws Exception {
    String table = freshTable(300, List.of());
    Result determined = cli(table, "determine-schema", "--segments", "3", "--concurrency", "2");
    ok(determined);
    assertThat(determined.out()).contains("vulnerability_metadata");
    dynamo.putItem(b -> b.tableName(table).item(item("VULN#late", "FIN#late", Map.of(
        "brand_new_attribute", s("I was not there when the schema was determined"),
        "severity_score", s("not a number any more")))));

    Result run = cli(table, "run", "--total-segments", "2", "--run-id", "r2");
    ok(run);
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT brand_new_attribute, severity_score FROM \"" + table
            + "\".vulnerability_metadata WHERE pk = 'VULN#late'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("I was not there when the schema was determined");
      assertThat(r.getString(2)).isEqualTo("not a number any more");
    }
  }

  @Test
  void phasesOverAllSegmentsCountThemFromTheManifestsAndCrossCheckTheFlag() {
    String table = freshTable(60, List.of());
    for (int segment = 0; segment < 2; segment++) {
      ok(cli(table, "phase1", "--segment", Integer.toString(segment), "--total-segments", "2", "--run-id", "r1"));
    }
    Result wrong = cli(table, "phase2", "--total-segments", "3", "--run-id", "r1");
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("--total-segments 3").contains("staged in 2 segments");
    Result prepared = cli(table, "phase2", "--run-id", "r1");
    ok(prepared);
    assertThat(prepared.out()).contains("(2 segments)");
    Result early = cli(table, "phase4", "--run-id", "r1");
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.err()).contains("are not loaded").contains("Run phase3 again");
  }

  @Test
  void aMissingRunIdOrTableIsAConfigurationError() {
    String table = freshTable(5, List.of());
    Result noRun = cli(table, "phase1", "--segment", "0", "--total-segments", "1");
    assertThat(noRun.code()).isEqualTo(2);
    assertThat(noRun.err()).contains("--run-id");
    Result noTable = cli(table, "phase1", "--segment", "0", "--total-segments", "1", "--run-id", "r", "--table", "nope_not_here");
    assertThat(noTable.code()).isEqualTo(2);
    assertThat(noTable.err()).contains("nope_not_here").contains("does not exist");
    Result noSegment = cli(table, "phase1", "--run-id", "r");
    assertThat(noSegment.code()).isEqualTo(2);
    assertThat(noSegment.err()).contains("--segment");
  }
}
