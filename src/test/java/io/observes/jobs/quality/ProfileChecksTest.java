package io.observes.jobs.quality;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.pipeline.RunId;
import io.observes.pipeline.RunLog;
import io.observes.testing.CliRun;
import io.observes.testing.MutableClock;
import io.observes.testing.PostgresStandIn;
import io.observes.testing.TestDialect;
import io.observes.warehouse.ProfileRequest;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks on table profiles over a production-shaped history: eight nightly dynamo refreshes of a
 * root table and its child table, each published, then profiled by the warehouse's one scan per table
 * and recorded. Seven healthy nights; the last one is made to break one way per test. Each check
 * fires on its breakage with table, column, numbers and what to do, and stays quiet on the healthy
 * history; failures exit 1 and alert, warnings alert without failing.
 */
class ProfileChecksTest {
  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final String ROOT = "vulnerability_metadata";
  static final String CHILD = "vulnerability_metadata__treatments";
  static PostgresStandIn pg;
  static WireMockServer hooks;
  @TempDir static Path dir;
  MutableClock clock = new MutableClock(NOW);

  @BeforeAll
  static void start() throws Exception {
    pg = new PostgresStandIn();
    hooks = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    hooks.start();
  }

  @AfterAll
  static void stop() throws Exception {
    hooks.stop();
    pg.close();
  }

  @BeforeEach
  void reset() throws Exception {
    hooks.resetAll();
    hooks.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
    pg.execute("DROP SCHEMA IF EXISTS observes_meta CASCADE");
  }

  /** Seven healthy nights (about 1,000 vulnerabilities, 2% without severity), then the last one as {@code last} leaves it. */
  void history(String last) throws Exception {
    try (WarehouseClient warehouse = pg.client()) {
      for (int day = 8; day >= 1; day--) {
        night(warehouse, NOW.minus(Duration.ofDays(day)), 1000 + 7 * day, day == 1 ? last : "");
      }
    }
  }

  void night(WarehouseClient warehouse, Instant at, int rows, String breakage) throws Exception {
    pg.execute("DROP SCHEMA IF EXISTS dynamodb CASCADE; CREATE SCHEMA dynamodb; "
        + "CREATE TABLE dynamodb." + ROOT + " (_observes_id VARCHAR(32), severity VARCHAR(16), title VARCHAR(256)); "
        + "INSERT INTO dynamodb." + ROOT + " SELECT md5(i::text), CASE WHEN i % 50 = 0 THEN NULL ELSE 'HIGH' END, 'vuln ' || i "
        + "FROM generate_series(1, " + rows + ") i; "
        + "COMMENT ON COLUMN dynamodb." + ROOT + ".severity IS 'severity'; "
        + "CREATE TABLE dynamodb." + CHILD + " (_observes_id VARCHAR(32), _parent_id VARCHAR(32), _root_id VARCHAR(32), "
        + "_index INTEGER, status VARCHAR(32)); "
        + "INSERT INTO dynamodb." + CHILD + " SELECT md5('t' || i), md5(i::text), md5(i::text), 0, 'ACCEPTED' "
        + "FROM generate_series(1, " + rows + ") i; " + breakage);
    clock.set(at);
    RunId run = RunId.unique(at);
    new RunLog(warehouse, clock, RunOrigin.LOCAL, "dynamodb", Duration.ofHours(1)).phase("dynamodb", run, "publish", null, () -> {
      var profiles = warehouse.profile("dynamodb", List.of(ProfileRequest.root(ROOT, "_observes_id"),
          ProfileRequest.child(CHILD, "_observes_id", "_parent_id", ROOT, "_observes_id")));
      warehouse.runLog().recordProfiles("dynamodb", run.value(), "dynamodb", at, profiles, Instant.EPOCH);
      return new RunLog.Outcome<>(null, List.of(TableCounts.named(ROOT, ROOT, rows, rows, 0, 0)));
    });
    clock.set(NOW);
  }

  CliRun.Result check(String... more) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("OBSERVES_WAREHOUSE_URL", pg.jdbcUrl());
    env.put("OBSERVES_ALERT_WEBHOOK", "http://127.0.0.1:" + hooks.port() + "/hook");
    String[] args = new String[3 + more.length];
    args[0] = "check";
    args[1] = "--job";
    args[2] = "dynamo-phase4";
    System.arraycopy(more, 0, args, 3, more.length);
    return CliRun.run(TestDialect.apply(env), clock, args);
  }

  String alert() throws Exception {
    var sent = hooks.findAll(postRequestedFor(urlPathEqualTo("/hook")));
    assertThat(sent).hasSize(1);
    return new ObjectMapper().readTree(sent.get(0).getBodyAsString()).path("text").asText();
  }

  @Test
  void aHealthyHistoryPassesEveryCheckOnItsTables() throws Exception {
    history("");

    CliRun.Result r = check("--all");

    assertThat(r.code()).as(r.out() + r.err() + r.logs()).isZero();
    assertThat(r.out()).contains("ok     dynamo-phase4 profile of " + ROOT + ": 1,007 rows, 3 columns in run",
        "ok     dynamo-phase4 profile of " + CHILD + ": 1,007 rows, 5 columns")
        .doesNotContain("FAILED", "WARN");
    assertThat(hooks.findAll(postRequestedFor(urlPathEqualTo("/hook")))).isEmpty();
  }

  @Test
  void aTableTheLastRunNoLongerHasIsNoLongerChecked() throws Exception {
    history("DROP TABLE dynamodb." + CHILD);

    CliRun.Result r = check("--all");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("ok     dynamo-phase4 profile of " + ROOT).doesNotContain(CHILD);
  }

  @Test
  void aColumnGoingNullFailsNamingItsSourcePathAndTheNumbers() throws Exception {
    history("UPDATE dynamodb." + ROOT + " SET severity = NULL WHERE right(_observes_id, 1) <> '0'");

    CliRun.Result r = check();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).containsPattern("FAILED dynamo-phase4 nulls of " + ROOT + "\\.severity: 9\\d\\.\\d% NULL in run \\S+ "
        + "\\(9\\d\\d of 1,007 rows\\); the median of the 7 runs before is 1\\.9%, a rise beyond the limit of 20 points")
        .contains("Did the source stop sending severity")
        .doesNotContain("nulls of " + ROOT + ".title", "nulls of " + CHILD);
    assertThat(alert()).contains("1 failing check(s)", "nulls of " + ROOT + ".severity");
  }

  @Test
  void aRepeatedRootKeyFails() throws Exception {
    history("INSERT INTO dynamodb." + ROOT + " SELECT * FROM dynamodb." + ROOT + " WHERE title IN ('vuln 1', 'vuln 2', 'vuln 3')");

    CliRun.Result r = check();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED dynamo-phase4 key of " + ROOT + ": _observes_id repeats in run",
        "1,010 rows but 1,007 distinct (3 too many)", "FROM dynamodb." + ROOT + " GROUP BY 1 HAVING COUNT(*) > 1")
        .doesNotContain("key of " + CHILD);
  }

  @Test
  void childRowsWithoutTheirParentFail() throws Exception {
    history("DELETE FROM dynamodb." + ROOT + " WHERE title IN ('vuln 10', 'vuln 11')");

    CliRun.Result r = check();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED dynamo-phase4 orphans of " + CHILD + ": 2 of its 1,007 rows in run",
        "have no parent row in " + ROOT);
  }

  @Test
  void aDroppedColumnFailsUnlessTheJobDropsColumnsAndAnAddedOrRetypedOneWarns() throws Exception {
    history("ALTER TABLE dynamodb." + ROOT + " DROP COLUMN title; ALTER TABLE dynamodb." + ROOT + " ADD COLUMN cvss NUMERIC(4,1); "
        + "ALTER TABLE dynamodb." + ROOT + " ALTER COLUMN severity TYPE VARCHAR(64)");

    CliRun.Result r = check();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED dynamo-phase4 schema of " + ROOT + ": column title (VARCHAR(256)) was dropped in run",
        "drops_columns: true",
        "WARN   dynamo-phase4 schema of " + ROOT + ": column cvss (NUMERIC(4,1)) added in run",
        "WARN   dynamo-phase4 schema of " + ROOT + ": column severity, from severity changed type from VARCHAR(16) to VARCHAR(64)",
        "1 failing, 2 warning(s)");
    assertThat(alert()).contains("1 failing check(s), 2 warning(s)", "(warning) dynamo-phase4 schema of " + ROOT);

    // A job that drops columns on purpose says so per table: the same history only warns.
    hooks.resetRequests();
    Path catalogue = Files.createDirectories(dir.resolve("catalogue"));
    Files.writeString(catalogue.resolve("dynamo-phase4.yaml"), "name: dynamo-phase4\ncommand: [etl, dynamo, phase4]\n"
        + "size: small\nrun_log: {job: dynamodb, phase: publish}\nchecks: {tables: {" + ROOT + ": {drops_columns: true}}}\n");
    CliRun.Result relaxed = check("--catalogue", catalogue.toString());
    assertThat(relaxed.code()).as(relaxed.out() + relaxed.err()).isZero();
    assertThat(relaxed.out()).contains("WARN   dynamo-phase4 schema of " + ROOT + ": column title (VARCHAR(256)) was dropped",
        "The job drops columns on purpose").doesNotContain("FAILED");
    assertThat(alert()).contains("0 failing check(s), 3 warning(s)");
  }

  @Test
  void aTableGrowingBeyondTheFactorFailsAndAJobMayAllowMore() throws Exception {
    history("INSERT INTO dynamodb." + ROOT + " SELECT md5('again' || i), 'LOW', 'again ' || i FROM generate_series(1, 3000) i");

    CliRun.Result r = check();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED dynamo-phase4 volume of " + ROOT + ": 4,007 rows in run",
        "3.9 times the median of the 7 runs before (1,035), beyond the limit of 3.0 times (max_growth_factor)")
        .doesNotContain("volume of " + CHILD);

    Path catalogue = Files.createDirectories(dir.resolve("growing"));
    Files.writeString(catalogue.resolve("dynamo-phase4.yaml"), "name: dynamo-phase4\ncommand: [etl, dynamo, phase4]\n"
        + "size: small\nrun_log: {job: dynamodb, phase: publish}\nchecks: {max_growth_factor: 5}\n");
    assertThat(check("--catalogue", catalogue.toString()).code()).isZero();
  }

  @Test
  void profilePrintsTheLatestProfileAndItsHistoryAsTextAndJson() throws Exception {
    history("UPDATE dynamodb." + ROOT + " SET severity = NULL WHERE right(_observes_id, 1) <> '0'");
    Map<String, String> env = TestDialect.apply(Map.of("OBSERVES_WAREHOUSE_URL", pg.jdbcUrl()));

    CliRun.Result text = CliRun.run(env, clock, "profile", "--job", "dynamo-phase4", "--table", ROOT);
    CliRun.Result json = CliRun.run(env, clock, "profile", "--job", "dynamodb", "--json");
    CliRun.Result none = CliRun.run(env, clock, "profile", "--job", "gitlab");

    assertThat(text.code()).as(text.err() + text.logs()).isZero();
    assertThat(text.out()).contains("Profiles of dynamodb: 1 table(s), 8 run(s).", "READ TIME",
        "dynamodb." + ROOT + ", run ", ": 1,007 rows, 1,007 distinct _observes_id; every count read from the table")
        .containsPattern("READ MS COUNTS\\s+\\S+\\s+\\S+ \\S+\\s+1,056\\s+1,056\\s+-\\s+\\d+ scanned")
        .containsPattern("severity\\s+VARCHAR\\(16\\)\\s+9\\d\\d\\s+9\\d\\.\\d\\s+severity")
        .containsPattern("history:\\s+RUN")
        .contains("1,056", "1,007").doesNotContain(CHILD);
    var tree = new ObjectMapper().readTree(json.out());
    assertThat(tree.path("job").asText()).isEqualTo("dynamodb");
    assertThat(tree.path("runs")).hasSize(8);
    assertThat(tree.path("runs").get(0).path("tables").asInt()).isEqualTo(2);
    assertThat(tree.path("tables")).hasSize(2);
    var child = tree.path("tables").get(1);
    assertThat(child.path("table").asText()).isEqualTo(CHILD);
    assertThat(child.path("latest").path("parent_table").asText()).isEqualTo(ROOT);
    assertThat(child.path("latest").path("orphans").asLong()).isZero();
    assertThat(child.path("latest").path("counts_from").asText()).isEqualTo("scanned");
    assertThat(child.path("history")).hasSize(8);
    var severity = tree.path("tables").get(0).path("latest").path("columns").get(1);
    assertThat(severity.path("name").asText()).isEqualTo("severity");
    assertThat(severity.path("null_fraction").asDouble()).isBetween(0.9, 0.95);
    assertThat(severity.path("lineage").asText()).isEqualTo("severity");
    assertThat(none.code()).isZero();
    assertThat(none.out()).contains("No profile recorded for gitlab in the window");
  }

  @Test
  void theReportShowsTheTablesFailuresFirstWithTrendsSchemaChangesAndLineage() throws Exception {
    history("UPDATE dynamodb." + ROOT + " SET severity = NULL WHERE right(_observes_id, 1) <> '0'; "
        + "ALTER TABLE dynamodb." + ROOT + " ADD COLUMN cvss NUMERIC(4,1)");
    Path out = dir.resolve("tables.html");

    CliRun.Result r = CliRun.run(TestDialect.apply(Map.of("OBSERVES_WAREHOUSE_URL", pg.jdbcUrl())), clock, "report", "--out",
        out.toString());

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    String html = Files.readString(out);
    assertThat(html).contains("<h2 id=\"tables\">Tables</h2>", "nulls of " + ROOT + ".severity",
        "column cvss (NUMERIC(4,1)) added in run", "Schema changes in the window", "added cvss NUMERIC(4,1)",
        "href=\"#lineage-dynamo-phase4-" + ROOT + "\"", "<td><code>severity</code></td>", "<td><code>severity</code></td></tr>");
    // Failures first: the failing root table's section comes before its healthy child's.
    assertThat(html.indexOf("class=\"table bad\" id=\"t-dynamo-phase4-" + ROOT + "\""))
        .isPositive().isLessThan(html.indexOf("class=\"table ok\" id=\"t-dynamo-phase4-" + CHILD + "\""));
    assertThat(html).contains("severity NULL %").doesNotContain("title NULL %");
    // These profiles were scans (a swap's would say its rows and NULLs came from the staged files).
    assertThat(html).contains("ms (every count from a scan).");

    Path chromium = Path.of("/usr/bin/chromium");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(chromium), "no headless Chromium at /usr/bin/chromium");
    Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0", "--dump-dom",
        out.toUri().toString())
        .redirectOutput(dir.resolve("tables-dom.html").toFile()).redirectError(dir.resolve("tables-console.txt").toFile()).start();
    assertThat(browser.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("Chromium rendered the report").isTrue();
    String dom = Files.readString(dir.resolve("tables-dom.html"));
    assertThat(Files.readString(dir.resolve("tables-console.txt"))).as("the browser console").doesNotContain("Uncaught")
        .doesNotContainPattern("CONSOLE\\(\\d+\\)\\] \"?Error");
    java.util.regex.Matcher trends = java.util.regex.Pattern.compile("<div class=\"trend\" data-chart=\"trend-[^\"]+\"[^>]*>(.*?)"
        + "</div>\\s*<script", java.util.regex.Pattern.DOTALL).matcher(dom);
    int drawn = 0;
    while (trends.find()) {
      assertThat(trends.group(1)).contains("<svg", "<path");
      drawn++;
    }
    assertThat(drawn).isEqualTo(2);
  }
}
