package io.observes.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.observes.config.Environment;
import io.observes.testing.PostgresStandIn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code observes job batch-stability} against WireMock as the AWS Batch endpoint (REST-JSON,
 * {@code POST /v1/listjobs}, documented response shape) and as the alert webhook, with the run log in
 * embedded PostgreSQL. The clock is fixed at {@link #NOW}.
 */
class BatchStabilityCommandTest {
  static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String QUEUE = "observes_small";
  static final String HOOK_PATH = "/services/T0001/B0002/s3cr3tT0k3n";
  static final ObjectMapper JSON = new ObjectMapper();
  static PostgresStandIn pg;

  WireMockServer batch;
  WireMockServer slack;

  @BeforeEach
  void start() {
    batch = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    batch.start();
    slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    slack.start();
    slack.stubFor(post(urlPathEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  @AfterEach
  void stop() {
    batch.stop();
    slack.stop();
  }

  /** One embedded PostgreSQL for the tests that need a warehouse, with an empty run log each time. */
  static PostgresStandIn warehouse() throws Exception {
    if (pg == null) {
      pg = new PostgresStandIn();
    }
    pg.execute("DROP SCHEMA IF EXISTS observes_meta CASCADE");
    return pg;
  }

  @AfterAll
  static void closeWarehouse() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  record Result(int code, String out, String err) {
    String line(String jobName) {
      return Arrays.stream(out.split("\n")).filter(l -> l.startsWith(jobName + " ")).findFirst().orElseThrow(
          () -> new AssertionError("no table line for " + jobName + " in:\n" + out));
    }
  }

  Map<String, String> awsEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ENDPOINT_URL_BATCH", "http://127.0.0.1:" + batch.port());
    env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "x");
    env.put("AWS_REGION", "us-east-1");
    return env;
  }

  String webhookUrl() {
    return "http://127.0.0.1:" + slack.port() + HOOK_PATH;
  }

  /** The root as {@link Main#commandLine} configures it, on the fixed clock, with the command added. */
  static Result run(Map<String, String> env, String... args) {
    Environment environment = new Environment(env);
    CommandLine root = new CommandLine(new ObservesCommand(environment, CLOCK, io.observes.testing.TestRetries.FAST, java.util.Optional.empty()));
    root.setExecutionExceptionHandler(Main.commandLine(environment).getExecutionExceptionHandler());
    root.addSubcommand("batch-stability", new BatchStabilityCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    root.setOut(new PrintWriter(out));
    root.setErr(new PrintWriter(err));
    int code = root.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static long ago(Duration duration) {
    return NOW.minus(duration).toEpochMilli();
  }

  /** A JobSummary as ListJobs documents it; null times and exit code are left out, as Batch does. */
  static Map<String, Object> job(String name, Long startedAt, Long stoppedAt, Integer exitCode, String reason) {
    String id = name + "-0000-4000-8000-000000000000";
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("jobArn", "arn:aws:batch:us-east-1:123456789012:job/" + id);
    job.put("jobId", id);
    job.put("jobName", name);
    job.put("createdAt", (startedAt != null ? startedAt : stoppedAt != null ? stoppedAt : ago(Duration.ofMinutes(20))) - 60_000);
    if (startedAt != null) {
      job.put("startedAt", startedAt);
    }
    if (stoppedAt != null) {
      job.put("stoppedAt", stoppedAt);
    }
    job.put("status", "FAILED");
    job.put("statusReason", reason);
    if (startedAt != null) {
      Map<String, Object> container = new LinkedHashMap<>();
      if (exitCode != null) {
        container.put("exitCode", exitCode);
      }
      container.put("reason", exitCode != null ? "Essential container exited" : "Host terminated");
      job.put("container", container);
    }
    job.put("jobDefinition", "arn:aws:batch:us-east-1:123456789012:job-definition/" + name + ":3");
    return job;
  }

  static Map<String, Object> failed(String name, Duration stoppedAgo, int exitCode) {
    long stopped = ago(stoppedAgo);
    return job(name, stopped - 300_000, stopped, exitCode, "Essential container in task exited");
  }

  static Map<String, Object> cancelled(String name, Duration stoppedAgo) {
    return job(name, null, ago(stoppedAgo), null, "Cancelled by user");
  }

  /** Stubs ListJobs of {@link #QUEUE} for FAILED jobs: page i answers the token of page i - 1. */
  @SafeVarargs
  final void listJobs(List<Map<String, Object>>... pages) throws Exception {
    for (int i = 0; i < pages.length; i++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("jobSummaryList", pages[i]);
      if (i + 1 < pages.length) {
        body.put("nextToken", "page-" + (i + 2));
      }
      var request = post(urlPathEqualTo("/v1/listjobs")).withRequestBody(matchingJsonPath("$.jobQueue", equalTo(QUEUE)))
          .withRequestBody(matchingJsonPath("$.jobStatus", equalTo("FAILED")));
      request = i == 0 ? request.withRequestBody(notContaining("nextToken"))
          : request.withRequestBody(matchingJsonPath("$.nextToken", equalTo("page-" + (i + 1))));
      batch.stubFor(request.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
          .withBody(JSON.writeValueAsString(body))));
    }
  }

  List<LoggedRequest> listRequests() {
    return batch.findAll(postRequestedFor(urlPathEqualTo("/v1/listjobs")));
  }

  List<LoggedRequest> alerts() {
    return slack.findAll(postRequestedFor(urlPathEqualTo(HOOK_PATH)));
  }

  @Test
  void everyQueueGivenIsChecked() throws Exception {
    listJobs(List.of(failed("observes-gitlab", Duration.ofMinutes(10), 1)));
    batch.stubFor(post(urlPathEqualTo("/v1/listjobs")).withRequestBody(matchingJsonPath("$.jobQueue", equalTo("observes_other")))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(JSON.writeValueAsString(
            Map.of("jobSummaryList", List.of(failed("observes-dynamo-phase1", Duration.ofMinutes(3), 137)))))));
    Result r = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--queue", "observes_other", "--dry-run");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("observes-gitlab", "observes-dynamo-phase1", "2 failed", "queues " + QUEUE + ", observes_other");
  }

  @Test
  void everyPageOfListJobsIsRead() throws Exception {
    listJobs(List.of(failed("observes-gitlab", Duration.ofMinutes(10), 1)),
        List.of(failed("observes-checkly", Duration.ofMinutes(5), 2)),
        List.of(failed("observes-zoho-load", Duration.ofMinutes(1), 3)));
    Result r = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--dry-run");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("observes-gitlab", "observes-checkly", "observes-zoho-load", "3 failed");
    assertThat(listRequests()).hasSize(3);
    assertThat(listRequests().get(1).getBodyAsString()).contains("\"nextToken\":\"page-2\"");
    assertThat(listRequests().get(2).getBodyAsString()).contains("\"nextToken\":\"page-3\"");
  }

  @Test
  void eachKindOfFailureIsClassified() throws Exception {
    long started = ago(Duration.ofMinutes(40));
    long stopped = ago(Duration.ofMinutes(30));
    listJobs(List.of(
        job("observes-dynamo-phase1", started, stopped, 1, "Essential container in task exited"),
        job("observes-gitlab", started, stopped, null, "Host EC2 (instance i-0abc123) terminated."),
        job("observes-checkly", null, stopped, null, "Cancelled by user"),
        job("observes-zoho-load", null, stopped, null, "Terminated by user"),
        job("observes-compute-bills", null, stopped, null, "Dependent Job failed")));
    Result r = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--cancelled", "--dry-run");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("JOB NAME", "JOB ID", "CLASS", "EXIT CODE", "STOPPED AT", "STATUS REASON");
    assertThat(r.line("observes-dynamo-phase1")).contains("FAILED_WITH_EXIT_CODE", " 1 ", "2026-03-02T11:30:00Z",
        "Essential container in task exited (Essential container exited)", "observes-dynamo-phase1-0000-4000");
    assertThat(r.line("observes-gitlab")).contains("FAILED_WITHOUT_EXIT_CODE", " - ", "Host EC2 (instance i-0abc123) terminated.");
    assertThat(r.line("observes-checkly")).contains("CANCELLED", "Cancelled by user");
    assertThat(r.line("observes-zoho-load")).contains("CANCELLED", "Terminated by user");
    assertThat(r.line("observes-compute-bills")).contains("NEVER_STARTED", "Dependent Job failed");
    assertThat(r.out()).contains("3 failed (FAILED_WITH_EXIT_CODE 1, FAILED_WITHOUT_EXIT_CODE 1, NEVER_STARTED 1), 2 cancelled.");
  }

  @Test
  void onlyOurJobsThatStoppedInTheWindowAreReported() throws Exception {
    long created = ago(Duration.ofMinutes(20));
    Map<String, Object> unstopped = job("observes-timedoctor", null, null, null, "Dependent Job failed");
    unstopped.put("createdAt", created);
    listJobs(List.of(
        failed("observes-recent", Duration.ofMinutes(30), 1),
        failed("observes-edge", Duration.ofHours(1), 1),
        failed("observes-old", Duration.ofMinutes(61), 1),
        failed("platform-deploy", Duration.ofMinutes(30), 1),
        unstopped));

    Result lastHour = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--dry-run");
    assertThat(lastHour.out()).contains("observes-recent", "observes-edge", "observes-timedoctor")
        .doesNotContain("observes-old", "platform-deploy")
        .contains("jobs named *observes* that ended since 2026-03-02T11:00:00Z: 3 failed");

    Result lastTwoHours = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--last-hours", "2", "--dry-run");
    assertThat(lastTwoHours.out()).contains("observes-recent", "observes-edge", "observes-old").doesNotContain("platform-deploy");

    Result platform = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--name-contains", "platform", "--dry-run");
    assertThat(platform.out()).contains("platform-deploy").doesNotContain("observes-recent", "observes-timedoctor");
  }

  @Test
  void failuresExitOneAndCancellationsAloneExitZero() throws Exception {
    listJobs(List.of(cancelled("observes-checkly", Duration.ofMinutes(10))));
    Result quiet = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--dry-run");
    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(quiet.out()).contains("No failed jobs.", "0 failed", "1 cancelled not listed (add --cancelled to list them)")
        .doesNotContain("observes-checkly");
    Result listed = run(awsEnv(), "batch-stability", "--queue", QUEUE, "--cancelled", "--dry-run");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.line("observes-checkly")).contains("CANCELLED");

    batch.resetAll();
    listJobs(List.of(cancelled("observes-checkly", Duration.ofMinutes(10)), failed("observes-gitlab", Duration.ofMinutes(5), 1)));
    assertThat(run(awsEnv(), "batch-stability", "--queue", QUEUE, "--dry-run").code()).isEqualTo(1);
    assertThat(run(awsEnv(), "batch-stability", "--queue", QUEUE, "--cancelled", "--dry-run").code()).isEqualTo(1);
  }

  @Test
  void theWebhookGetsTheFailuresAndNothingOnADryRun() throws Exception {
    listJobs(List.of(failed("observes-gitlab", Duration.ofMinutes(5), 137), cancelled("observes-checkly", Duration.ofMinutes(10))));
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_WAREHOUSE_URL", warehouse().jdbcUrl());
    env.put("OBSERVES_ALERT_WEBHOOK", webhookUrl());

    Result dry = run(env, "batch-stability", "--queue", QUEUE, "--dry-run");
    assertThat(dry.code()).isEqualTo(1);
    assertThat(alerts()).isEmpty();

    Result r = run(env, "batch-stability", "--queue", QUEUE);
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("alert posted to the webhook in OBSERVES_ALERT_WEBHOOK.");
    assertThat(alerts()).hasSize(1);
    LoggedRequest alert = alerts().get(0);
    assertThat(alert.getHeader("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(alert.getBodyAsString());
    assertThat(body.fieldNames()).toIterable().containsExactly("text");
    assertThat(body.get("text").asText()).contains("observes batch-stability", "queue observes_small", "1 failed",
        "observes-gitlab", "FAILED_WITH_EXIT_CODE", "exit code 137").doesNotContain("observes-checkly");
    assertThat(r.out() + r.err()).doesNotContain("s3cr3tT0k3n", webhookUrl());
  }

  @Test
  void aFailingWebhookIsReportedAndLeavesTheExitCodeToTheJobs() throws Exception {
    slack.stubFor(post(urlPathEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(500).withBody("internal_error")));
    listJobs(List.of(cancelled("observes-checkly", Duration.ofMinutes(10))));
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_WAREHOUSE_URL", warehouse().jdbcUrl());
    env.put("OBSERVES_ALERT_WEBHOOK", webhookUrl());

    Result r = run(env, "batch-stability", "--queue", QUEUE, "--cancelled");
    assertThat(r.code()).as(r.err()).isZero();
    // Tried a few times (a 500 may pass), then given up on without failing the job.
    assertThat(alerts()).hasSize(3);
    assertThat(JSON.readTree(alerts().get(0).getBodyAsString()).get("text").asText()).contains("observes-checkly", "CANCELLED");
    assertThat(r.err()).contains("alert not sent", "answered 500", "internal_error", "OBSERVES_ALERT_WEBHOOK", "in 3 attempts")
        .doesNotContain("s3cr3tT0k3n", String.valueOf(slack.port()));

    slack.stop();
    batch.resetAll();
    listJobs(List.of(failed("observes-gitlab", Duration.ofMinutes(5), 1)));
    Result unreachable = run(env, "batch-stability", "--queue", QUEUE);
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("alert not sent", "could not be reached").doesNotContain("s3cr3tT0k3n");
  }

  @Test
  void nothingToReportPostsNoAlert() throws Exception {
    listJobs(List.of());
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_WAREHOUSE_URL", warehouse().jdbcUrl());
    env.put("OBSERVES_ALERT_WEBHOOK", webhookUrl());
    Result r = run(env, "batch-stability", "--queue", QUEUE);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("No failed jobs.");
    assertThat(alerts()).isEmpty();
  }

  @Test
  void theCheckIsRecordedInTheRunLogButNotOnADryRun() throws Exception {
    long stopped = ago(Duration.ofMinutes(15));
    listJobs(List.of(failed("observes-gitlab", Duration.ofMinutes(5), 1), failed("observes-checkly", Duration.ofMinutes(6), 2),
        job("observes-zoho-load", stopped - 60_000, stopped, null, "Host EC2 (instance i-0abc123) terminated."),
        cancelled("observes-compute-bills", Duration.ofMinutes(20))));
    PostgresStandIn db = warehouse();
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_WAREHOUSE_URL", db.jdbcUrl());

    Result dry = run(env, "batch-stability", "--queue", QUEUE, "--cancelled", "--dry-run");
    assertThat(dry.code()).isEqualTo(1);
    assertThat(dry.out()).contains("dry run: nothing written to the run log");
    assertThat(db.rows("SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'observes_meta'")).isEmpty();

    Result r = run(env, "batch-stability", "--queue", QUEUE, "--cancelled");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    List<Map<String, String>> runs = db.rows("SELECT job, run_id, phase, segment, started_at, finished_at, status, error"
        + " FROM observes_meta.runs");
    assertThat(runs).hasSize(1);
    Map<String, String> check = runs.get(0);
    assertThat(check).containsEntry("job", "batch-stability").containsEntry("run_id", "20260302T120000Z")
        .containsEntry("phase", "check").containsEntry("segment", null).containsEntry("status", "SUCCEEDED")
        .containsEntry("error", null);
    assertThat(check.get("started_at")).startsWith("2026-03-02 12:00:00");
    assertThat(db.rows("SELECT table_key, rows_written FROM observes_meta.run_tables ORDER BY table_key"))
        .containsExactly(
            Map.of("table_key", "CANCELLED", "rows_written", "1"),
            Map.of("table_key", "FAILED_WITHOUT_EXIT_CODE", "rows_written", "1"),
            Map.of("table_key", "FAILED_WITH_EXIT_CODE", "rows_written", "2"),
            Map.of("table_key", "NEVER_STARTED", "rows_written", "0"));
  }

  @Test
  void aFailedListingIsAFailedCheckInTheRunLog() throws Exception {
    batch.stubFor(post(urlPathEqualTo("/v1/listjobs")).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json").withHeader("x-amzn-ErrorType", "ClientException")
        .withBody("{\"message\": \"jobQueue observes_nope does not exist\"}")));
    PostgresStandIn db = warehouse();
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_WAREHOUSE_URL", db.jdbcUrl());
    Result r = run(env, "batch-stability", "--queue", "observes_nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("observes: failed:", "does not exist");
    assertThat(db.rows("SELECT status, error FROM observes_meta.runs")).singleElement()
        .satisfies(row -> assertThat(row.get("status")).isEqualTo("FAILED"))
        .satisfies(row -> assertThat(row.get("error")).contains("does not exist"));
    assertThat(db.rows("SELECT * FROM observes_meta.run_tables")).isEmpty();
  }

  @Test
  void withoutAWarehouseOnlyADryRunWorks() throws Exception {
    listJobs(List.of(cancelled("observes-checkly", Duration.ofMinutes(10))));
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_ALERT_WEBHOOK", webhookUrl());
    Result dry = run(env, "batch-stability", "--queue", QUEUE, "--cancelled", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.line("observes-checkly")).contains("CANCELLED");

    batch.resetRequests();
    Result r = run(env, "batch-stability", "--queue", QUEUE, "--cancelled");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("configuration error", "OBSERVES_WAREHOUSE_URL");
    assertThat(listRequests()).isEmpty();
    assertThat(alerts()).isEmpty();
  }

  @Test
  void helpAndUsageErrors() {
    Result help = run(awsEnv(), "batch-stability", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--queue", "--last-hours", "--cancelled", "--name-contains", "--dry-run", "OBSERVES_ALERT_WEBHOOK");
    assertThat(run(awsEnv(), "batch-stability").code()).isEqualTo(2);
    assertThat(run(awsEnv(), "batch-stability", "--queue", QUEUE, "--last-hours", "0").code()).isEqualTo(2);
    Map<String, String> env = awsEnv();
    env.put("OBSERVES_ALERT_WEBHOOK", "not a url/s3cr3tT0k3n");
    Result badHook = run(env, "batch-stability", "--queue", QUEUE);
    assertThat(badHook.code()).isEqualTo(2);
    assertThat(badHook.err()).contains("OBSERVES_ALERT_WEBHOOK").doesNotContain("s3cr3tT0k3n");
  }
}
