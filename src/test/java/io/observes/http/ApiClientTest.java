package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.testing.TestRetries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared HTTP layer against WireMock: paging by headers, by links and by full pages; retries of
 * 429 (honouring Retry-After up to the cap), 5xx and dropped connections; other 4xx at once with
 * the API's message; credentials renewed once on 401 and never quoted.
 */
class ApiClientTest {
  static final String KEY = "cu_5f3b9c1d7e2a4f60b8c9d0e1f2a3b4c5";
  static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

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

  ApiClient client(Auth auth) {
    ApiSettings settings = new ApiSettings("Checkly", URI.create("http://127.0.0.1:" + api.port() + "/v1"), auth,
        TestRetries.FAST, RateLimit.NONE, "set OBSERVES_CHECKLY_API_KEY to a valid API key");
    return new ApiClient(settings, ApiClient.defaultHttpClient(), CLOCK, waits::add);
  }

  ApiClient client() {
    return client(Auth.bearer(Secret.of(KEY, "key"), Map.of("X-Checkly-Account", Secret.of("acc-1", "account"))));
  }

  static MappingBuilder checks() {
    return get(urlPathEqualTo("/v1/checks"));
  }

  static String items(int from, int to) {
    List<String> items = new ArrayList<>();
    for (int i = from; i < to; i++) {
      items.add("{\"id\": \"check-" + i + "\", \"name\": \"Check " + i + "\", \"activated\": true}");
    }
    return "[" + String.join(",", items) + "]";
  }

  List<String> ids(PageWalk walk) {
    List<String> ids = new ArrayList<>();
    walk.forEachRemaining(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  @Test
  void followsXNextPageToTheLastPageAndSignsEveryRequest() {
    api.stubFor(checks().withQueryParam("page", equalTo("1")).willReturn(aResponse().withHeader("X-Next-Page", "2")
        .withBody(items(0, 2))));
    api.stubFor(checks().withQueryParam("page", equalTo("2")).willReturn(aResponse().withHeader("X-Next-Page", "3")
        .withBody(items(2, 4))));
    api.stubFor(checks().withQueryParam("page", equalTo("3")).willReturn(aResponse().withHeader("X-Next-Page", "")
        .withBody(items(4, 5))));
    List<Integer> pages = new ArrayList<>();

    PageWalk walk = new PageWalk(client(), client().resolve("checks?limit=2&page=1"), "listing checks", null,
        NextPage.headers("page"), p -> pages.add(p.number()));

    assertThat(ids(walk)).containsExactly("check-0", "check-1", "check-2", "check-3", "check-4");
    assertThat(walk.complete()).isTrue();
    assertThat(pages).containsExactly(1, 2, 3);
    api.verify(3, getRequestedFor(urlPathEqualTo("/v1/checks")).withHeader("Authorization", equalTo("Bearer " + KEY))
        .withHeader("X-Checkly-Account", equalTo("acc-1")));
  }

  @Test
  void followsLinkRelNextWhenThereIsNoXNextPage() {
    String base = "http://127.0.0.1:" + api.port() + "/v1/checks";
    api.stubFor(checks().withQueryParam("page", equalTo("1")).willReturn(aResponse()
        .withHeader("Link", "<" + base + "?page=1>; rel=\"first\", <" + base + "?page=2&cursor=abc>; rel=\"next\"")
        .withBody(items(0, 1))));
    api.stubFor(checks().withQueryParam("page", equalTo("2")).withQueryParam("cursor", equalTo("abc"))
        .willReturn(aResponse().withHeader("Link", "<" + base + "?page=1>; rel=\"first\"").withBody(items(1, 2))));

    PageWalk walk = new PageWalk(client(), client().resolve("checks?page=1"), "listing checks", null, NextPage.link(), p -> true);

    assertThat(ids(walk)).containsExactly("check-0", "check-1");
    assertThat(walk.complete()).isTrue();
  }

  @Test
  void aFullPageHasANextOneAndAShortOneIsTheLast() {
    api.stubFor(checks().withQueryParam("page", equalTo("1")).willReturn(aResponse().withBody(items(0, 3))));
    api.stubFor(checks().withQueryParam("page", equalTo("2")).willReturn(aResponse().withBody(items(3, 6))));
    api.stubFor(checks().withQueryParam("page", equalTo("3")).willReturn(aResponse().withBody("[]")));

    PageWalk walk = new PageWalk(client(), client().resolve("checks?limit=3&page=1"), "listing checks", null,
        NextPage.whileFull("page", 3), p -> true);

    assertThat(ids(walk)).hasSize(6);
    api.verify(3, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @Test
  void aListenerEndsTheWalkAndTheWalkSaysItIsNotComplete() {
    api.stubFor(checks().withQueryParam("page", equalTo("1")).willReturn(aResponse().withHeader("X-Next-Page", "2")
        .withBody(items(0, 2))));

    PageWalk walk = new PageWalk(client(), client().resolve("checks?page=1"), "listing checks", null,
        NextPage.headers("page"), p -> p.number() < 1);

    assertThat(ids(walk)).hasSize(2);
    assertThat(walk.complete()).isFalse();
    assertThat(walk.stopped()).isTrue();
    api.verify(1, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @Test
  void itemsOfAnObjectBodyAreReadWithTheFieldsBesideThem() {
    api.stubFor(get(urlPathEqualTo("/v1/users")).willReturn(aResponse().withBody(
        "{\"users\": [{\"id\": \"1\"}, {\"id\": \"2\"}], \"info\": {\"per_page\": 2, \"more_records\": false, \"page\": 1}}")));

    PageWalk walk = new PageWalk(client(), client().resolve("users?page=1"), "listing users", "users",
        p -> p.rest().path("info").path("more_records").asBoolean() ? java.util.Optional.of(p.uri()) : java.util.Optional.empty(),
        p -> true);

    assertThat(ids(walk)).containsExactly("1", "2");
    assertThat(walk.lastPage().orElseThrow().rest().path("info").path("page").asInt()).isEqualTo(1);
  }

  @Test
  void a429IsRetriedAfterItsRetryAfterUpToTheCap() {
    api.stubFor(checks().inScenario("limited").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("waited")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
            .withBody("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded\"}")));
    api.stubFor(checks().inScenario("limited").whenScenarioStateIs("waited").willReturn(aResponse().withBody(items(0, 1))));

    JsonNode body = client().getJson("checks", "listing checks");

    assertThat(body).hasSize(1);
    // Asked for 7 s; the tests' cap is 50 ms, well above their longest backoff (4 ms): the header won.
    assertThat(waits).extracting(ApiClient.RetryWait::delay).containsExactly(Duration.ofMillis(50));
    assertThat(waits.get(0).status()).isEqualTo(429);
    api.verify(2, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @Test
  void serverErrorsAndDroppedConnectionsAreRetriedWithGrowingJitteredWaits() {
    api.stubFor(checks().inScenario("flaky").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("reset")
        .willReturn(aResponse().withStatus(500).withBody("{\"message\":\"boom\"}")));
    api.stubFor(checks().inScenario("flaky").whenScenarioStateIs("reset").willSetStateTo("unavailable")
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    api.stubFor(checks().inScenario("flaky").whenScenarioStateIs("unavailable").willSetStateTo("up")
        .willReturn(aResponse().withStatus(503).withBody("<html>down</html>")));
    api.stubFor(checks().inScenario("flaky").whenScenarioStateIs("up").willReturn(aResponse().withBody("[]")));

    assertThat(client().getJson("checks", "listing checks")).isEmpty();

    assertThat(waits).extracting(ApiClient.RetryWait::status).containsExactly(500, 0, 503);
    assertThat(waits.get(0).delay()).isBetween(Duration.ZERO, Duration.ofMillis(1));
    assertThat(waits.get(1).delay()).isBetween(Duration.ofMillis(1), Duration.ofMillis(2));
    assertThat(waits.get(2).delay()).isBetween(Duration.ofMillis(2), Duration.ofMillis(4));
    api.verify(4, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @Test
  void persistentServerErrorsFailAfterEveryAttemptNamingTheCallButNotTheKey() {
    api.stubFor(checks().willReturn(aResponse().withStatus(502).withBody("bad gateway for Bearer " + KEY)));

    assertThatThrownBy(() -> client().getJson("checks?limit=100", "listing checks"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("Checkly answered 502").hasMessageContaining("listing checks (GET /v1/checks)")
        .hasMessageContaining("in 5 attempts").hasMessageContaining("<redacted>").hasMessageNotContaining(KEY)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(502));
    api.verify(5, getRequestedFor(urlPathEqualTo("/v1/checks")));
    assertThat(waits).hasSize(4);
  }

  @Test
  void anUnreachableApiFailsAfterEveryAttempt() {
    int port = api.port();
    api.stop();
    ApiClient client = new ApiClient(new ApiSettings("Checkly", URI.create("http://127.0.0.1:" + port + "/v1"),
        Auth.none(), TestRetries.FAST, RateLimit.NONE, "-"), ApiClient.defaultHttpClient(), CLOCK, waits::add);

    assertThatThrownBy(() -> client.getJson("checks", "listing checks"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("Checkly could not be reached for listing checks (GET /v1/checks) in 5 attempts");
    assertThat(waits).hasSize(4).allSatisfy(w -> assertThat(w.status()).isZero());
  }

  @Test
  void anotherClientErrorFailsAtOnceWithTheApisMessage() {
    api.stubFor(checks().willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
        .withBody("{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"\\\"limit\\\" must be less than or equal to 100\"}")));

    assertThatThrownBy(() -> client().getJson("checks?limit=500", "listing checks"))
        .isInstanceOf(ApiException.class)
        .hasMessage("Checkly answered 400 (\"limit\" must be less than or equal to 100) to listing checks (GET /v1/checks)");
    api.verify(1, anyRequestedFor(anyUrl()));
    assertThat(waits).isEmpty();
  }

  @Test
  void aRejectedStaticKeyIsAConfigurationErrorWithoutTheKey() {
    api.stubFor(checks().willReturn(aResponse().withStatus(401)
        .withBody("{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Bad Token " + KEY + "\"}")));

    assertThatThrownBy(() -> client().getJson("checks", "listing checks"))
        .isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining("Checkly rejected the credentials while listing checks")
        .hasMessageContaining("set OBSERVES_CHECKLY_API_KEY").hasMessageNotContaining(KEY);
    api.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void anExpiredTokenIsRenewedOnceAndTheCallSentAgain() {
    AtomicInteger logins = new AtomicInteger();
    TokenAuth auth = new TokenAuth("Authorization", "Zoho-oauthtoken ",
        () -> Secret.of("token-" + logins.incrementAndGet(), "token"), List.of(Secret.of("refresh-secret", "refresh")));
    api.stubFor(get(urlPathEqualTo("/v1/users")).withHeader("Authorization", equalTo("Zoho-oauthtoken token-1"))
        .willReturn(aResponse().withStatus(401).withBody("{\"code\":\"INVALID_TOKEN\",\"message\":\"invalid oauth token\"}")));
    api.stubFor(get(urlPathEqualTo("/v1/users")).withHeader("Authorization", equalTo("Zoho-oauthtoken token-2"))
        .willReturn(aResponse().withBody("{\"users\": []}")));

    assertThat(client(auth).getJson("users", "listing users").has("users")).isTrue();
    assertThat(logins).hasValue(2);

    // Rejected again after renewing: the credentials themselves are wrong.
    api.stubFor(get(urlPathEqualTo("/v1/users")).willReturn(aResponse().withStatus(401)
        .withBody("{\"code\":\"INVALID_TOKEN\",\"message\":\"invalid oauth token token-3 refresh-secret\"}")));
    assertThatThrownBy(() -> client(auth).getJson("users", "listing users"))
        .isInstanceOf(CredentialsRejectedException.class)
        .hasMessageNotContaining("token-3").hasMessageNotContaining("refresh-secret");
  }

  @Test
  void aRedirectIsNotFollowed() {
    api.stubFor(checks().willReturn(aResponse().withStatus(301).withHeader("Location", "https://elsewhere.example/v1/checks")));
    api.stubFor(post(urlPathEqualTo("/v1/anything")).willReturn(aResponse().withStatus(200)));

    assertThatThrownBy(() -> client().getJson("checks", "listing checks"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("redirect (301) to https://elsewhere.example/v1/checks, which is not followed");
    api.verify(1, anyRequestedFor(anyUrl()));
    api.verify(0, postRequestedFor(anyUrl()));
  }

  @Test
  void anAnswerThatIsNotTheDocumentedListIsAClearError() {
    api.stubFor(checks().willReturn(aResponse().withBody("{\"data\": []}")));

    PageWalk walk = new PageWalk(client(), client().resolve("checks"), "listing checks", null, NextPage.link(), p -> true);
    assertThatThrownBy(walk::hasNext).isInstanceOf(ApiException.class)
        .hasMessageContaining("listing checks (page 1)").hasMessageContaining("expected a JSON array");
  }

  @Test
  void serverWaitsAreReadFromRetryAfterOrRateLimitReset() {
    assertThat(ServerWait.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(ServerWait.retryAfter("Wed, 04 Mar 2026 12:01:00 GMT", NOW)).contains(Duration.ofMinutes(1));
    assertThat(ServerWait.retryAfter("Wed, 04 Mar 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    assertThat(ServerWait.retryAfter("soon", NOW)).isEmpty();
    // GitLab: a Unix time; the IETF draft and Checkly: seconds from now.
    assertThat(ServerWait.reset(Long.toString(NOW.getEpochSecond() + 30), NOW)).contains(Duration.ofSeconds(30));
    assertThat(ServerWait.reset("12", NOW)).contains(Duration.ofSeconds(12));
    assertThat(ServerWait.reset("-1", NOW)).isEmpty();
    assertThat(ServerWait.of(headers(Map.of("RateLimit-Reset", "5", "Retry-After", "9")), NOW)).contains(Duration.ofSeconds(9));
    assertThat(ServerWait.of(headers(Map.of("X-RateLimit-Reset", "5")), NOW)).contains(Duration.ofSeconds(5));
    assertThat(ServerWait.of(headers(Map.of()), NOW)).isEmpty();
  }

  @Test
  void backoffDoublesUpToTheMaximumWithEqualJitter() {
    RetrySettings s = new RetrySettings(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
    assertThat(s.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(s.backoff(1, 0.999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
    assertThat(s.backoff(3, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.backoff(10, 0.5)).isEqualTo(Duration.ofMillis(22500));
    assertThat(s.serverWait(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> s.backoff(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSecretPrintsRedacted() {
    Secret secret = Secret.of(KEY, "OBSERVES_CHECKLY_API_KEY");
    assertThat(secret.toString()).isEqualTo("<redacted>");
    assertThat(String.valueOf(Auth.bearer(secret, Map.of()).secrets())).doesNotContain(KEY);
    assertThatThrownBy(() -> Secret.of(" ", "OBSERVES_CHECKLY_API_KEY")).hasMessageContaining("OBSERVES_CHECKLY_API_KEY is blank");
  }

  static java.net.http.HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    values.forEach((k, v) -> map.put(k, List.of(v)));
    return java.net.http.HttpHeaders.of(map, (a, b) -> true);
  }
}
