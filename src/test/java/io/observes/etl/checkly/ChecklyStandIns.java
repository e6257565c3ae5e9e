package io.observes.etl.checkly;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the checkly ETL's end-to-end tests run against: WireMock as Checkly (FakeCheckly, two
 * checks, a group and an alert channel), s3proxy for staging and state, embedded PostgreSQL.
 */
abstract class ChecklyStandIns extends ApiEtlStandIns {
  static final String KEY = "cu_9f3b9c1d7e2a4f60b8c9d0e1f2a3b4c5";
  static final String ACCOUNT = "2b3c4d5e-0000-4000-8000-00000000abcd";
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  WireMockServer checkly;
  FakeCheckly fake;
  MutableClock clock;
  /** Variables a test adds to the run's environment. */
  final Map<String, String> extraEnv = new java.util.HashMap<>();

  @BeforeEach
  void start() throws Exception {
    fake = new FakeCheckly(KEY, ACCOUNT);
    checkly = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    checkly.start();
    checkly.stubFor(any(urlPathMatching("/v[12]/.*")).atPriority(10).willReturn(aResponse().withTransformers(FakeCheckly.NAME)));
    reset("checkly");
    clock = new MutableClock(NOW);
    fake.check("check-api", "API");
    fake.check("check-browser", "BROWSER");
    fake.group(17);
    fake.channel(240783);
  }

  @AfterEach
  void stop() {
    checkly.stop();
  }

  Map<String, String> env() {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_CHECKLY_URL", "http://127.0.0.1:" + checkly.port());
    env.put("OBSERVES_CHECKLY_API_KEY", KEY);
    env.put("OBSERVES_CHECKLY_ACCOUNT", ACCOUNT);
    // The tests do not wait a minute per 60 calls.
    env.put("OBSERVES_CHECKLY_REQUESTS_PER_MINUTE", "100000");
    env.putAll(extraEnv);
    return env;
  }

  CliRun.Result checkly(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "etl";
    args[1] = "checkly";
    System.arraycopy(flags, 0, args, 2, flags.length);
    return CliRun.run(env(), clock, args);
  }

  void assertLandedOnce(String table, long expected) throws Exception {
    assertThat(count("SELECT COUNT(*) FROM checkly." + table)).as(table + " rows").isEqualTo(expected);
    assertThat(count("SELECT COUNT(DISTINCT id) FROM checkly." + table)).as(table + " ids").isEqualTo(expected);
  }

  Optional<JsonNode> state() throws Exception {
    Optional<byte[]> bytes = s3.store().read(new S3Uri("state", "checkly/state.json"));
    return bytes.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(bytes.get()));
  }

  Instant end() {
    return clock.instant().minus(ChecklySource.SETTLE);
  }

  List<String> resultRequests(String check) {
    return fake.served.stream().filter(u -> u.startsWith("/v2/check-results/" + check + "?")).toList();
  }
}
