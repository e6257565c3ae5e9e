package io.observes.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A warehouse password written into the JDBC URL (as user-info or as a query parameter) reaches
 * neither the command's error, nor its log, nor the last attempt's alert: the real PostgreSQL driver
 * fails to connect to a closed port and says why, and what it says is shown without the password.
 */
class SecretsInMessagesTest {
  static final String HOOK = "/services/T9/B9/hook";
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

  static Map<String, String> lastAttempt(String warehouseUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("OBSERVES_WAREHOUSE_URL", warehouseUrl);
    env.put("OBSERVES_ALERT_WEBHOOK", "http://127.0.0.1:" + hooks.port() + HOOK);
    env.put("AWS_BATCH_JOB_ID", "job-url-1");
    env.put("AWS_BATCH_JOB_ATTEMPT", "2");
    env.put("OBSERVES_JOB_ATTEMPTS", "2");
    return env;
  }

  String alert() {
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> sent = hooks.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
    assertThat(sent).hasSize(1);
    return sent.get(0).getBodyAsString();
  }

  /** Runs {@code runs} as the last attempt of a Batch job; nothing it printed, logged or alerted holds the password. */
  CliRun.Result failsWithoutThePassword(Map<String, String> env) {
    CliRun.Result r = CliRun.run(env, Clock.systemUTC(), "runs");

    assertThat(r.code()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("cannot connect to the warehouse");
    assertThat(r.all()).doesNotContain("hunter2");
    assertThat(alert()).contains("cannot connect to the warehouse").doesNotContain("hunter2");
    return r;
  }

  @Test
  void aPasswordInTheUrlsUserInfoAndQueryIsInNoMessage() {
    // The driver cannot resolve "u:hunter2@127.0.0.1" and says so, naming it.
    CliRun.Result r = failsWithoutThePassword(lastAttempt("jdbc:postgresql://u:hunter2@127.0.0.1:1/db?password=hunter2"
        + "&connectTimeout=2"));
    assertThat(r.err()).contains("cannot connect to the warehouse: 127.0.0.1");
  }

  @Test
  void aUrlTheDriverRefusesIsQuotedWithoutItsPassword() {
    // The pool quotes the whole URL when the driver refuses it (here: a port out of range), masking only "password=".
    CliRun.Result pg = failsWithoutThePassword(lastAttempt("jdbc:postgresql://u:hunter2@127.0.0.1:99999999/db?user=u"
        + "&PASSWORD=hunter2"));
    assertThat(pg.err()).contains("jdbc:postgresql://127.0.0.1:99999999/db?user=u&PASSWORD=****");

    reset();
    Map<String, String> redshift = lastAttempt("jdbc:redshift://127.0.0.1:99999999/dev;UID=u;PWD=hunter2");
    redshift.put("OBSERVES_REDSHIFT_IAM_ROLE", "arn:aws:iam::123456789012:role/redshift-copy");
    CliRun.Result rs = failsWithoutThePassword(redshift);
    assertThat(rs.err()).contains("jdbc:redshift://127.0.0.1:99999999/dev;UID=u;PWD=****");
  }

  @Test
  void thePasswordVariableIsNotEchoedEither() {
    Map<String, String> env = lastAttempt("jdbc:postgresql://127.0.0.1:99999999/db?user=u");
    env.put("OBSERVES_WAREHOUSE_PASSWORD", "hunter2");
    failsWithoutThePassword(env);
  }
}
