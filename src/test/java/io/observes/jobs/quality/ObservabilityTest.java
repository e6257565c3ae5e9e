package io.observes.jobs.quality;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.pipeline.RunId;
import io.observes.pipeline.RunLog;
import io.observes.testing.CliRun;
import io.observes.testing.MutableClock;
import io.observes.testing.PostgresStandIn;
import io.observes.testing.TestRetries;
import io.observes.warehouse.RunEntry;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run log put to work, on a run log shaped like production's: a healthy nightly ETL whose last
 * run lost most of a table's rows and rejected many values, a failed run, a stale pipeline, a run
 * lost without an end. {@code observes runs}, {@code check} (with its alert), {@code report}
 * (rendered in headless Chromium when there is one), the failure alert of a last attempt and the
 * metrics pushed on exit — against PostgreSQL and WireMock.
 */
class ObservabilityTest {
  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
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
  void history() throws Exception {
    hooks.resetAll();
    hooks.stubFor(post(urlPathEqualTo("/services/T1/B2/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
    hooks.stubFor(any(urlPathMatching("/metrics/.*")).willReturn(aResponse().withStatus(200)));
    pg.execute("DROP SCHEMA IF EXISTS observes_meta CASCADE; DROP SCHEMA IF EXISTS dynamodb CASCADE; CREATE SCHEMA dynamodb; "
        + "CREATE TABLE dynamodb._rejected (table_name VARCHAR(127), row_id VARCHAR(32), source_path VARCHAR(256), "
        + "reason VARCHAR(1024), raw_value VARCHAR(65535), raw_part INTEGER, raw_parts INTEGER)");
    for (int i = 0; i < 30; i++) {
      pg.execute("INSERT INTO dynamodb._rejected VALUES ('vulnerability_metadata', 'r" + i + "', 'severity', "
          + (i < 20 ? "'a text value does not fit the declared column type BIGINT'" : "'text with a NUL character'")
          + ", '\"x\"', 0, 1)");
    }
    try (WarehouseClient warehouse = pg.client()) {
      // Eight nightly dynamo refreshes; the last one loses most vulnerabilities and rejects many values.
      for (int day = 8; day >= 1; day--) {
        boolean last = day == 1;
        dynamo(warehouse, NOW.minus(Duration.ofDays(day)).plus(Duration.ofHours(-9)), last ? 100 : 1000 + day, last ? 2000 : 5);
      }
      // gitlab: fine, then a failure.
      run(warehouse, "gitlab", "run", NOW.minus(Duration.ofHours(20)), null);
      run(warehouse, "gitlab", "run", NOW.minus(Duration.ofHours(4)), "GitLab answered 503 (Service Unavailable) to listing the "
          + "jobs of pipeline 6000 of project fluidattacks/universe (GET /api/v4/projects/...) in 6 attempts");
      // checkly: its last success was five days ago, beyond its SLA of 80 h.
      run(warehouse, "checkly", "run", NOW.minus(Duration.ofDays(5)), null);
      // zoho: started two hours ago and never heard of again (the Spot host went away).
      RunEntry lost = new RunEntry("zoho", "20261120T100000Z-0000beef", "run", null, NOW.minus(Duration.ofHours(2)), "zoho_crm",
          new RunOrigin("b7c1d2e3-job", 1, "ip-10-0-3-17"));
      warehouse.runLog().recordRunStart(lost);
    }
  }

  void dynamo(WarehouseClient warehouse, Instant at, long vulnerabilities, long rejected) {
    dynamo(warehouse, at, vulnerabilities, rejected, null);
  }

  /** A dynamo run whose publish says its data is as of {@code asOf} (an export's snapshot time), or as of the run. */
  void dynamo(WarehouseClient warehouse, Instant at, long vulnerabilities, long rejected, Instant asOf) {
    clock.set(at);
    RunId run = RunId.unique(at);
    RunLog log = new RunLog(warehouse, clock, RunOrigin.LOCAL, "dynamodb", Duration.ofHours(1));
    log.phase("dynamodb", run, "stage", 0, () -> {
      clock.advance(Duration.ofMinutes(20));
      return new RunLog.Outcome<>(null, List.of(TableCounts.named("vulnerability_metadata", "vulnerability_metadata",
          vulnerabilities, 0, rejected, 1_000_000)));
    });
    log.phase("dynamodb", run, "publish", null, () -> {
      clock.advance(Duration.ofMinutes(3));
      return new RunLog.Outcome<>(null, List.of(
          TableCounts.named("vulnerability_metadata", "vulnerability_metadata", vulnerabilities, vulnerabilities, 0, 0),
          TableCounts.named("finding_metadata", "finding_metadata", 500, 500, 0, 0)), null, asOf);
    });
    clock.set(NOW);
  }

  void run(WarehouseClient warehouse, String job, String phase, Instant at, String error) {
    clock.set(at);
    RunLog log = new RunLog(warehouse, clock, RunOrigin.LOCAL, job, Duration.ofHours(1));
    try {
      log.phase(job, RunId.unique(at), phase, null, () -> {
        clock.advance(Duration.ofMinutes(7));
        if (error != null) {
          throw new IllegalStateException(error);
        }
        return new RunLog.Outcome<>(null, List.of());
      });
    } catch (IllegalStateException expected) {
      // the failure is what the history records
    }
    clock.set(NOW);
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("OBSERVES_WAREHOUSE_URL", pg.jdbcUrl());
    env.put("OBSERVES_ALERT_WEBHOOK", "http://127.0.0.1:" + hooks.port() + "/services/T1/B2/hook");
    return env;
  }

  List<LoggedRequest> alerts() {
    return hooks.findAll(postRequestedFor(urlPathEqualTo("/services/T1/B2/hook")));
  }

  @Test
  void runsListsTheLogWithDurationsRowsAndTheLostRun() throws Exception {
    CliRun.Result table = CliRun.run(env(), clock, "runs", "--since", "2d");
    CliRun.Result lost = CliRun.run(env(), clock, "runs", "--status", "lost", "--json");

    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("JOB", "DURATION", "LOADED", "gitlab", "FAILED", "GitLab answered 503", "7 m 00 s",
        "zoho", "LOST").doesNotContain("checkly");
    JsonNode rows = JSON.readTree(lost.out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).path("job").asText()).isEqualTo("zoho");
    assertThat(rows.get(0).path("batch_job_id").asText()).isEqualTo("b7c1d2e3-job");
    assertThat(rows.get(0).path("host").asText()).isEqualTo("ip-10-0-3-17");
    assertThat(rows.get(0).path("duration_seconds").asLong()).isEqualTo(7200);
  }

  @Test
  void freshnessIsJudgedByTheTimeTheDataIsAsOfAndTheReportShowsTheLag() throws Exception {
    try (WarehouseClient warehouse = pg.client()) {
      // Published an hour ago, from an export taken 90 hours ago: the data is beyond its 80 h SLA.
      dynamo(warehouse, NOW.minus(Duration.ofHours(1)).minus(Duration.ofMinutes(23)), 1006, 5, NOW.minus(Duration.ofHours(90)));
    }

    CliRun.Result r = CliRun.run(env(), clock, "check", "--job", "dynamo-phase4");
    Path html = dir.resolve("lag.html");
    CliRun.Result report = CliRun.run(env(), clock, "report", "--out", html.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED dynamo-phase4 freshness: last success 90.0 h ago (its data as of "
        + NOW.minus(Duration.ofHours(90)) + "), beyond its SLA of 80 h");
    assertThat(pg.rows("SELECT data_as_of FROM observes_meta.runs WHERE phase = 'publish' AND data_as_of IS NOT NULL"))
        .extracting(row -> row.get("data_as_of")).containsExactly("2026-11-16 18:00:00+00");
    assertThat(report.code()).as(report.err()).isZero();
    // 89 h between the export and the end of the publish an hour ago: the lag of that run, in minutes.
    assertThat(java.nio.file.Files.readString(html)).contains("lag of the data (minutes)", "5340.0");
  }

  @Test
  void checkFlagsEachConditionPassesTheRestAndAlerts() throws Exception {
    CliRun.Result r = CliRun.run(env(), clock, "check", "--all");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("ok     dynamo-phase4 freshness: last success")
        .contains("ok     dynamo-phase4 rows of finding_metadata")
        .containsPattern("FAILED dynamo-phase4 rows of vulnerability_metadata: 100 rows in run \\S+; the median of the 7 runs "
            + "before is 1,005, and less than 50% of it is an anomaly")
        .contains("FAILED dynamo-phase1 rejected values: run")
        .contains("rejected 2000 values, more than 1000")
        .contains("FAILED gitlab last run: run", "GitLab answered 503", "Retry: observes batch submit gitlab")
        .contains("ok     gitlab freshness")
        .contains("FAILED checkly freshness: last success 119.9 h ago")
        .contains("FAILED zoho-load last run: run 20261120T100000Z-0000beef LOST");
    // One finding per table and kind, from the phase that answers for it, not one per phase of the ETL.
    assertThat(r.out()).contains("ok     checkly rejected values: 0 rejected")
        .doesNotContain("dynamo-phase1 rows of", "dynamo-phase3 rows of", "dynamo-phase4 rejected values",
            "dynamo-phase3 rejected values");
    assertThat(alerts()).hasSize(1);
    String text = JSON.readTree(alerts().get(0).getBodyAsString()).path("text").asText();
    assertThat(text).contains("failing check(s)", "gitlab last run", "checkly freshness", "zoho-load last run");
    assertThat(pg.rows("SELECT status FROM observes_meta.runs WHERE job = 'check'")).extracting(row -> row.get("status"))
        .containsExactly("SUCCEEDED");

    CliRun.Result one = CliRun.run(env(), clock, "check", "--job", "dynamo-phase4");
    assertThat(one.out()).contains("dynamo-phase4 rows of vulnerability_metadata").doesNotContain("gitlab");
  }

  @Test
  void theReportIsOneFileWithATilePerPipelineAndItsCharts() throws Exception {
    Path out = dir.resolve("dq.html");

    CliRun.Result r = CliRun.run(env(), clock, "report", "--out", out.toString(), "--since", "30d");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    String html = Files.readString(out, StandardCharsets.UTF_8);
    int pipelines = io.observes.batch.JobCatalogue.bundled().jobs().size();
    assertThat(count(html, "class=\"tile ")).isEqualTo(pipelines);
    assertThat(html).contains("data-pipeline=\"dynamo-phase4\"", "GitLab answered 503", "observes batch submit gitlab",
        "a text value does not fit the declared column type BIGINT", "echarts")
        .doesNotContain("https://cdn", "<script src=");
    assertThat(html).containsPattern("class=\"tile bad\" data-pipeline=\"gitlab\"")
        .containsPattern("class=\"tile bad\" data-pipeline=\"checkly\"")
        .containsPattern("class=\"tile warn\" data-pipeline=\"dynamo-phase4\"");

    Path chromium = Path.of("/usr/bin/chromium");
    assumeTrue(Files.isExecutable(chromium), "no headless Chromium at /usr/bin/chromium: the report was not rendered "
        + "(.ci/run installs Debian's chromium; apt-get install chromium)");
    Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0", "--dump-dom",
        out.toUri().toString())
        .redirectOutput(dir.resolve("dom.html").toFile()).redirectError(dir.resolve("console.txt").toFile()).start();
    assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("Chromium rendered the report within 120 s").isTrue();
    String dom = Files.readString(dir.resolve("dom.html"), StandardCharsets.UTF_8);
    String console = Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
    assertThat(console).as("the browser console").doesNotContain("Uncaught").doesNotContainPattern("CONSOLE\\(\\d+\\)\\] \"?Error");
    assertThat(count(dom, "data-pipeline=")).isEqualTo(pipelines);
    List<String> charts = chartContents(dom);
    assertThat(charts).hasSize(2 * pipelines).allSatisfy(c -> assertThat(c).contains("<svg"));
    assertThat(charts.stream().filter(c -> c.contains("<path"))).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void aFailedLastAttemptAlertsAndAnEarlierOneDoesNot() throws Exception {
    Map<String, String> env = env();
    env.put("AWS_BATCH_JOB_ID", "0a1b2c3d-e4f5");
    env.put("OBSERVES_JOB_ATTEMPTS", "3");
    env.put("AWS_BATCH_JOB_ATTEMPT", "1");
    env.put("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://127.0.0.1:1/none");

    assertThat(CliRun.run(env, clock, "etl", "compute-bills").code()).isNotZero();
    assertThat(alerts()).isEmpty();

    env.put("AWS_BATCH_JOB_ATTEMPT", "3");
    CliRun.Result last = CliRun.run(env, clock, "etl", "compute-bills");

    assertThat(last.code()).isNotZero();
    assertThat(alerts()).hasSize(1);
    assertThat(JSON.readTree(alerts().get(0).getBodyAsString()).path("text").asText())
        .contains("observes etl compute-bills failed at its last attempt (3 of 3, Batch job 0a1b2c3d-e4f5)");
    assertThat(last.all()).doesNotContain("/services/T1/B2/hook");
  }

  @Test
  void metricsArePushedOnExitForTheRunsOfThisProcess() throws Exception {
    Map<String, String> env = env();
    env.put("OBSERVES_PUSHGATEWAY_URL", "http://127.0.0.1:" + hooks.port());
    env.put("AWS_BATCH_JOB_ID", "job-42");

    int code = Main.run(new Environment(env), clock, TestRetries.FAST, "check", "--job", "gitlab");

    assertThat(code).isEqualTo(1);
    List<LoggedRequest> pushes = hooks.findAll(anyRequestedFor(urlPathMatching("/metrics/.*")));
    assertThat(pushes).hasSize(1);
    assertThat(pushes.get(0).getMethod().getName()).isEqualTo("PUT");
    assertThat(pushes.get(0).getUrl()).isEqualTo("/metrics/job/observes_check/instance/job-42");
    String body = pushes.get(0).getBodyAsString();
    assertThat(body).contains("observes_run_success{phase=\"check\"} 1.0", "observes_run_duration_seconds{phase=\"check\"}",
        "observes_last_success_timestamp_seconds");
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  static List<String> chartContents(String dom) {
    List<String> charts = new ArrayList<>();
    Matcher m = Pattern.compile("<div class=\"chart\" data-chart=\"[^\"]+\"[^>]*>(.*?)</div>\\s*(?=<div class=\"chart\"|</div>)",
        Pattern.DOTALL).matcher(dom);
    while (m.find()) {
      charts.add(m.group(1));
    }
    return charts;
  }
}
