package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.observes.http.RawServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.testing.TestRetries;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No answer holds a call forever or fills the heap: headers that never come, a body that stops
 * after a byte, one that dribbles past the call's deadline are stalls (retried, then an error
 * naming the service and the call); a body past its limit is an error at once. A slow but steady
 * body is fine. The limits are small here (500 ms without a byte, 3 s a call, 64 KiB a body), so
 * every case ends in a few seconds; each runs under a bound that fails it instead of hanging.
 */
class AnswerLimitsTest {
  static final HttpLimits SMALL = new HttpLimits(Duration.ofMillis(500), Duration.ofSeconds(3), 64 * 1024);
  /** 5 attempts of at most 3 s, and the tests' millisecond backoffs: well within. */
  static final Duration BOUND = Duration.ofSeconds(30);
  static final String KEY = "ck_5f3b9c1d7e2a4f60b8c9d0e1f2a3b4c5";

  WireMockServer api;
  final List<ApiClient.RetryWait> waits = new ArrayList<>();

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  ApiClient client(String root, HttpLimits limits) {
    return new ApiClient(new ApiSettings("Checkly", URI.create(root + "/v1"), Auth.bearer(Secret.of(KEY, "key"), Map.of()),
        TestRetries.FAST, RateLimit.NONE, "-", limits), ApiClient.defaultHttpClient(), Clock.systemUTC(), waits::add);
  }

  ApiClient client() {
    return client("http://127.0.0.1:" + api.port(), SMALL);
  }

  static ApiException failure(Runnable call) {
    return assertTimeoutPreemptively(BOUND, () -> catchThrowableOfType(call::run, ApiException.class));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Content-Length: 100\r\n\r\n[", "Transfer-Encoding: chunked\r\n\r\n1\r\n[\r\n"})
  void headersThenOneByteThenSilenceIsAStallThatIsRetriedThenAnError(String rest) throws IOException {
    try (RawServer server = new RawServer(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + rest))) {
      ApiException e = failure(() -> client(server.url(), SMALL).getJson("checks?limit=100", "listing checks"));

      assertThat(e).hasMessage("Checkly's answer to listing checks (GET /v1/checks) stalled in 5 attempts: the answer "
          + "stalled: no data for 0.5 s after 1 byte");
      assertThat(server.requests).hasValue(5);
      assertThat(waits).hasSize(4).allSatisfy(w -> assertThat(w.status()).isZero());
    }
  }

  @Test
  void aPageThatStallsIsFetchedAgainAndTheWalkGoesOn() {
    api.stubFor(get(urlPathEqualTo("/v1/checks")).inScenario("s").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
        .willReturn(aResponse().withBody("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]").withChunkedDribbleDelay(4, 4000)));
    api.stubFor(get(urlPathEqualTo("/v1/checks")).inScenario("s").whenScenarioStateIs("ok")
        .willReturn(aResponse().withBody("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]")));
    List<String> ids = new ArrayList<>();

    assertTimeoutPreemptively(BOUND, () -> new PageWalk(client(), client().resolve("checks"), "listing checks", null,
        NextPage.link(), p -> true).forEachRemaining(n -> ids.add(n.get("id").asText())));

    assertThat(ids).containsExactly("a", "b", "c");
    assertThat(waits).singleElement().satisfies(w -> assertThat(w.what()).isEqualTo("listing checks (page 1) (GET /v1/checks)"));
    api.verify(2, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @Test
  void aSlowButSteadyBodyIsNoStall() {
    // 2.4 s in all, longer than the read timeout of 1 s, but never more than 200 ms without a byte.
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withBody("[{\"id\": \"a\"}, {\"id\": \"b\"}]")
        .withChunkedDribbleDelay(12, 2400)));
    ApiClient client = client("http://127.0.0.1:" + api.port(), new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(20),
        64 * 1024));

    assertThat(assertTimeoutPreemptively(BOUND, () -> client.getJson("checks", "listing checks"))).hasSize(2);
    assertThat(waits).isEmpty();
  }

  @Test
  void headersThatNeverComeEndTheCallAfterEveryAttempt() {
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withBody("[]").withFixedDelay(5_000)));

    ApiException e = failure(() -> client().getJson("checks", "listing checks"));

    assertThat(e).hasMessage("Checkly did not answer listing checks (GET /v1/checks) in 5 attempts: no answer (headers) in "
        + "time");
    assertThat(waits).hasSize(4);
  }

  @Test
  void aBodyThatDribblesPastTheCallsDeadlineIsCut() throws IOException {
    // A chunk every 100 ms, headers at once: never 1 s without a byte, but the call may take 2 s.
    try (RawServer server = new RawServer(out -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n");
      for (int i = 0; i < 1000; i++) {
        write(out, "c\r\n{\"id\": \"x\"},\r\n");
        pause(Duration.ofMillis(100));
      }
    })) {
      HttpLimits limits = new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 64 * 1024);
      ApiClient client = new ApiClient(client(server.url(), limits).settings().withRetries(new RetrySettings(2,
          Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(50))), ApiClient.defaultHttpClient(), Clock.systemUTC());

      ApiException e = failure(() -> client.getJson("checks", "listing checks"));

      assertThat(e).hasMessageStartingWith("Checkly's answer to listing checks (GET /v1/checks) stalled in 2 attempts: the "
          + "answer stalled: not complete within 2 s");
      assertThat(server.requests).hasValue(2);
    }
  }

  /** The stand-in server's pace (what is under test), not a wait for anything. */
  static void pause(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Test
  void aBodyPastItsLimitIsAnErrorAtOnce() {
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withBody("[\"" + "x".repeat(100_000) + "\"]")));

    ApiException e = failure(() -> client().getJson("checks", "listing checks"));

    assertThat(e).hasMessage("Checkly's answer to listing checks (GET /v1/checks) is larger than the 65,536 bytes allowed "
        + "(OBSERVES_HTTP_MAX_BODY_MIB, or per source OBSERVES_<SOURCE>_HTTP_MAX_BODY_MIB)");
    api.verify(1, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @Test
  void anEndlessArrayIsCutAtTheLimitNotCarriedToTheEndOfTheHeap() throws IOException {
    HttpLimits limits = new HttpLimits(Duration.ofSeconds(5), Duration.ofSeconds(20), 4 * HttpLimits.MIB);
    try (RawServer server = new RawServer(out -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n");
      String chunk = "{\"id\": \"check-1\", \"name\": \"forever\"},".repeat(1000);
      String framed = Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n";
      while (true) {
        write(out, framed);
      }
    })) {
      ApiClient client = client(server.url(), limits);
      ApiException e = failure(() -> new PageWalk(client, client.resolve("checks"), "listing checks", null, NextPage.link(),
          p -> true).hasNext());

      assertThat(e).hasMessageStartingWith("Checkly's answer to listing checks (page 1) (GET /v1/checks) is larger than the "
          + "4 MiB allowed");
      assertThat(server.requests).hasValue(1);
    }
  }

  @Test
  void limitsComeFromTheEnvironmentThePerSourceVariableFirst() {
    Environment env = new Environment(Map.of("OBSERVES_HTTP_READ_TIMEOUT_SECONDS", "0.25", "OBSERVES_HTTP_MAX_BODY_MIB", "8",
        "OBSERVES_GITLAB_HTTP_MAX_BODY_MIB", "2", "OBSERVES_GITLAB_HTTP_CALL_TIMEOUT_SECONDS", "90", "OBSERVES_HTTP_MAX_PAGES", "500"));

    assertThat(HttpLimits.from(env, "GITLAB")).isEqualTo(new HttpLimits(Duration.ofMillis(250), Duration.ofSeconds(90),
        2 * HttpLimits.MIB, 500));
    assertThat(HttpLimits.from(env, "CHECKLY")).isEqualTo(new HttpLimits(Duration.ofMillis(250),
        HttpLimits.DEFAULT.callTimeout(), 8 * HttpLimits.MIB, 500));
    assertThat(HttpLimits.from(new Environment(Map.of()), "CHECKLY")).isEqualTo(HttpLimits.DEFAULT);
    assertThat(HttpLimits.DEFAULT).isEqualTo(new HttpLimits(Duration.ofSeconds(60), Duration.ofMinutes(10), 64 * HttpLimits.MIB,
        100_000));
    assertThatThrownBy(() -> HttpLimits.from(new Environment(Map.of("OBSERVES_HTTP_MAX_PAGES", "2.5")), "GITLAB"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_HTTP_MAX_PAGES must be a whole number");
    for (String bad : List.of("0", "-1", "soon", "1e12", "NaN")) {
      assertThatThrownBy(() -> HttpLimits.from(new Environment(Map.of("OBSERVES_CHECKLY_HTTP_READ_TIMEOUT_SECONDS", bad)),
          "CHECKLY")).isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_CHECKLY_HTTP_READ_TIMEOUT_SECONDS");
    }
  }
}
