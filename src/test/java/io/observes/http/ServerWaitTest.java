package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.testing.TestRetries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an API says about when to come back is read defensively: a wait no {@link java.time.Instant}
 * can hold, a negative one, or one that is not a number or date at all never breaks the call; a
 * huge one waits the cap, an unreadable one the backoff.
 */
class ServerWaitTest {
  static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");

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

  /** The tests' cap on a server's wait is 50 ms (the "cap"); their backoff after a first failure at most 1 ms. */
  @ParameterizedTest(name = "{0}: {1} waits the {2}")
  @CsvSource(delimiter = '|', value = {
      "RateLimit-Reset   | 99999999999999999                 | cap",
      "RateLimit-Reset   | 9223372036854775807               | cap",
      "RateLimit-Reset   | 99999999999999999999999999        | cap",
      "X-RateLimit-Reset | 31556889864403200                 | cap",
      "Retry-After       | 99999999999999999                 | cap",
      "Retry-After       | 99999999999999999999999999        | cap",
      "Retry-After       | Fri, 31 Dec 9999 23:59:59 GMT     | cap",
      "Retry-After       | -5                                | backoff",
      "RateLimit-Reset   | -99999999999999999                | backoff",
      "Retry-After       | soon                              | backoff",
      "Retry-After       | Wed, 99 Foo 2026 99:99:99 GMT     | backoff",
      "Retry-After       | 1e9                               | backoff",
      "RateLimit-Reset   | 0x7fffffff                        | backoff",
  })
  void anAbsurdServerWaitNeitherBreaksTheCallNorWaitsPastTheCap(String header, String value, String wait) {
    api.stubFor(get(urlPathEqualTo("/v1/checks")).inScenario("s").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
        .willReturn(aResponse().withStatus(429).withHeader(header, value).withBody("{\"message\":\"slow down\"}")));
    api.stubFor(get(urlPathEqualTo("/v1/checks")).inScenario("s").whenScenarioStateIs("ok").willReturn(aResponse().withBody("[]")));
    ApiClient client = new ApiClient(new ApiSettings("Checkly", URI.create("http://127.0.0.1:" + api.port() + "/v1"),
        Auth.none(), TestRetries.FAST, RateLimit.NONE, "-"), ApiClient.defaultHttpClient(), Clock.fixed(NOW, ZoneOffset.UTC),
        waits::add);

    assertThat(client.getJson("checks", "listing checks")).isEmpty();

    Duration delay = waits.get(0).delay();
    assertThat(waits).hasSize(1);
    if (wait.equals("cap")) {
      assertThat(delay).isEqualTo(TestRetries.FAST.maxServerWait());
    } else {
      assertThat(delay).isBetween(Duration.ZERO, TestRetries.FAST.baseDelay());
    }
    api.verify(2, getRequestedFor(urlPathEqualTo("/v1/checks")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "99999999999999999",
      "9223372036854775807",
      "31556889864403200",
  })
  void aResetPastAnyInstantIsTheLongestWaitAndNeverAnError(String value) {
    assertThat(ServerWait.reset(value, NOW)).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
    assertThat(ServerWait.retryAfter(value, NOW)).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
  }
}
