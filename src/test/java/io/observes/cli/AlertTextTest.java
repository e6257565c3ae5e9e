package io.observes.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.testing.CliRun;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the failure alert of a last attempt says of the command: its words and option names, values only where known safe. */
class AlertTextTest {
  static final String HOOK = "/services/T7/B7/hook";
  static final ObjectMapper JSON = new ObjectMapper();
  static WireMockServer hooks;

  @BeforeAll
  static void start() {
    hooks = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    hooks.start();
  }

  @AfterAll
  static void stop() {
    hooks.stop();
  }

  @BeforeEach
  void reset() {
    hooks.resetAll();
    hooks.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  static Map<String, String> lastAttempt() {
    Map<String, String> env = new HashMap<>();
    env.put("OBSERVES_WAREHOUSE_URL", "jdbc:postgresql://127.0.0.1:1/db?connectTimeout=2");
    env.put("OBSERVES_ALERT_WEBHOOK", "http://127.0.0.1:" + hooks.port() + HOOK);
    env.put("AWS_BATCH_JOB_ID", "job-alert-1");
    env.put("AWS_BATCH_JOB_ATTEMPT", "1");
    env.put("OBSERVES_JOB_ATTEMPTS", "1");
    return env;
  }

  /** The one alert's text, as Slack receives it (JSON-decoded, not yet unescaped). */
  static String alertText() throws Exception {
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> sent = hooks.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
    assertThat(sent).hasSize(1);
    return JSON.readTree(sent.get(0).getBodyAsString()).path("text").asText();
  }

  @Test
  void theAlertNamesTheCommandAndItsOptionsButShowsOnlySafeValues() throws Exception {
    // A value no pattern could tell from a harmless one: only the allow-list keeps it out.
    CliRun.Result r = CliRun.run(lastAttempt(), Clock.systemUTC(), "runs", "--warehouse-url",
        "jdbc:postgresql://127.0.0.1:1/db?connectTimeout=2&options=-c%20app.key%3Dhunter2", "--job", "dynamodb",
        "--since", "2d", "--limit", "5", "--json");

    assertThat(r.code()).as(r.all()).isEqualTo(1);
    assertThat(alertText()).contains("observes runs --warehouse-url [hidden] --job dynamodb --since 2d --limit [hidden] --json "
        + "failed at its last attempt").doesNotContain("hunter2", "127.0.0.1");
  }

  @Test
  void theValuesARetryNeedsAreShownForEveryCommandOfTheChain() throws Exception {
    Map<String, String> env = lastAttempt();
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    CliRun.Result r = CliRun.run(env, Clock.systemUTC(), "--warehouse-dialect", "postgresql", "etl", "dynamo", "phase2",
        "--run-id", "20261120T030000Z-1a2b", "--total-segments", "4", "--target-schema", "dynamodb", "--force");

    assertThat(r.code()).as(r.all()).isEqualTo(1);
    assertThat(alertText()).contains("observes --warehouse-dialect postgresql etl dynamo phase2 --run-id 20261120T030000Z-1a2b "
        + "--total-segments 4 --target-schema dynamodb --force failed at its last attempt");
  }

  /** Text from a source (here GitLab's error message) that would ping the channel, link elsewhere or clear a terminal. */
  static final String HOSTILE = "<!channel> & <@U024BE7LH> see <http://evil.example|the fix> \u001b[2J\u001b]0;pwned\u0007"
      + "\u009b31m\u202Etxt.exe\r";

  @Test
  void textFromDataIsEscapedForSlackAndCleanedForTheTerminal() throws Exception {
    hooks.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock
        .urlPathMatching(io.observes.jobs.gitlab.GitLabFixtures.API + "/projects/.*/jobs")).willReturn(aResponse()
        .withStatus(404).withHeader("Content-Type", "application/json").withBody(JSON.createObjectNode().put("message", HOSTILE)
        .toString())));
    Map<String, String> env = lastAttempt();
    env.remove("OBSERVES_WAREHOUSE_URL");
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + hooks.port() + io.observes.jobs.gitlab.GitLabFixtures.API);
    env.put("OBSERVES_GITLAB_TOKEN", io.observes.jobs.gitlab.GitLabFixtures.TOKEN);

    CliRun.Result r = CliRun.run(env, io.observes.jobs.gitlab.GitLabFixtures.CLOCK, "job", "cancel-ci-jobs", "--project", "4711");

    assertThat(r.code()).as(r.all()).isEqualTo(1);
    String text = alertText();
    assertThat(text).contains("&lt;!channel&gt; &amp; &lt;@U024BE7LH&gt; see &lt;http://evil.example|the fix&gt;")
        // The HTTP layer already turns the ESC of an API's text into a space, so the printable rest of a
        // sequence ("[2J") may stay as harmless text; no control character may.
        .doesNotContain("<!channel>", "<@U", "<http", "\u001b", "\u0007", "\u009b", "\u202E", "\r");
    assertThat(r.err()).contains("<!channel> & <@U024BE7LH> see <http://evil.example|the fix>");
    assertThat(r.all()).doesNotContain("\u001b", "\u0007", "\u009b", "\u202E", "\r");
    assertThat(r.logs()).containsPattern("WARN .* JobRecording - cancel-ci-jobs is not recorded in the run log");
  }

  @Test
  void theRunsTableShowsARecordedErrorPrintable() {
    java.io.StringWriter text = new java.io.StringWriter();
    java.time.Instant at = java.time.Instant.parse("2026-11-20T03:00:00Z");
    RunsCommand.print(io.observes.text.PrintableWriter.of(new java.io.PrintWriter(text)), List.of(
        new io.observes.warehouse.RunSummary("gitlab", "20261120T030000Z-1a2b", "run", null, at, at.plusSeconds(60), "FAILED",
            HOSTILE, 0, 0, 0, "gitlab-ci", io.observes.warehouse.RunOrigin.LOCAL, at, null)), at.plusSeconds(120));

    assertThat(text.toString()).contains("<!channel> & <@U024BE7LH>", "txt.exe")
        .doesNotContain("\u001b", "[2J", "pwned", "\u0007", "\u009b", "\u202E", "\r");
  }
}
