package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.config.ConfigException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer against a hostile API: {@value #CASES} seeded cases of malformed and truncated
 * bodies, wrong content types, absurd headers (Retry-After, RateLimit-Reset, X-Next-Page,
 * Content-Length), redirects and links to other origins, relative links and loops, faults and slow
 * bodies ({@link FuzzAnswers}), each through one of the calls the sources make. Every case ends in
 * bounded time with a result or the layer's own exception, whose message names the service, holds
 * no Java exception text, no control character and never the token; no request reaches the other
 * origin (a second WireMock on another port), and no log line holds the token. A failure prints the
 * seed and case to replay.
 */
class HttpFuzzTest {
  static final long SEED = 20_261_206L;
  static final int CASES = 200;
  static final String TOKEN = "glpat-FUZZ7vN3xK5mT2wR7yB4cD";
  /** Two attempts, waits of milliseconds; small limits so that a stall costs well under a second. */
  static final RetrySettings RETRIES = new RetrySettings(2, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(20));
  static final HttpLimits LIMITS = new HttpLimits(Duration.ofMillis(300), Duration.ofSeconds(1), 256 * 1024, 20);
  /** The most one case may take: two attempts of at most 1 s, a walk of up to 20 pages. */
  static final Duration CASE_BOUND = Duration.ofSeconds(20);

  static WireMockServer api;
  static WireMockServer other;
  static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    other = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    other.start();
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    api.stop();
    other.stop();
  }

  /** The calls the sources make: GitLab's, Link and Checkly's walks, JSON reads and writes, a streamed read. */
  enum Call {
    GITLAB_WALK(c -> walk(c, NextPage.headers("page"))),
    LINK_WALK(c -> walk(c, NextPage.link())),
    FULL_PAGES_WALK(c -> walk(c, NextPage.whileFull("page", 2))),
    GET_JSON(c -> c.getJson("projects/1/jobs?per_page=2&page=1", "reading the project")),
    POST_JSON(c -> c.postJson("projects/1/jobs/2/cancel", Map.of("why", "stuck"), "cancelling a job")),
    STREAMED(c -> {
      try (ApiResponse response = c.get("projects/1/jobs?page=1", "downloading a result")) {
        return c.readJson(response, "downloading a result");
      }
    });

    final Function<ApiClient, Object> run;

    Call(Function<ApiClient, Object> run) {
      this.run = run;
    }

    static Object walk(ApiClient client, NextPage next) {
      return new PageWalk(client, client.resolve("projects/1/jobs?per_page=2&page=1"), "listing the jobs", null, next,
          p -> true).stream().count();
    }
  }

  ApiClient client() {
    return new ApiClient(new ApiSettings("GitLab", URI.create("http://127.0.0.1:" + api.port() + "/api/v4"),
        Auth.headers(Map.of("Private-Token", Secret.of(TOKEN, "OBSERVES_GITLAB_TOKEN"))), RETRIES, RateLimit.NONE,
        "set OBSERVES_GITLAB_TOKEN", LIMITS), ApiClient.defaultHttpClient(), Clock.systemUTC());
  }

  @Test
  void everyHostileAnswerEndsBoundedWithAResultOrOurOwnCleanError() {
    long started = System.nanoTime();
    Random random = new Random(SEED);
    FuzzAnswers answers = new FuzzAnswers("http://127.0.0.1:" + api.port(), "http://127.0.0.1:" + other.port(), TOKEN);
    other.stubFor(any(anyUrl()).willReturn(okJson("[{\"id\": \"stolen\"}]")));
    int results = 0;
    int errors = 0;
    for (int n = 0; n < CASES; n++) {
      api.resetAll();
      other.resetRequests();
      logs.list.clear();
      FuzzAnswers.Answer first = answers.next(random);
      api.stubFor(any(urlPathMatching("/api/v4/.*")).atPriority(5).willReturn(first.response()));
      String later = "";
      if (random.nextBoolean()) {
        FuzzAnswers.Answer second = answers.next(random);
        api.stubFor(any(urlPathMatching("/api/v4/.*")).withQueryParam("page", notMatching("1")).atPriority(1)
            .willReturn(second.response()));
        later = "; later pages: " + second;
      }
      Call call = Call.values()[random.nextInt(Call.values().length)];
      String at = "seed " + SEED + ", case " + n + ": " + call + " against " + first + later;

      Object[] outcome = new Object[1];
      assertTimeoutPreemptively(CASE_BOUND, () -> {
        try {
          outcome[0] = call.run.apply(client());
        } catch (RuntimeException e) {
          outcome[0] = e;
        }
      }, at);

      if (outcome[0] instanceof RuntimeException e) {
        errors++;
        assertThat(e).as(at).isInstanceOfAny(ApiException.class, CredentialsRejectedException.class);
        assertCleanMessage(e, at);
      } else {
        results++;
      }
      assertThat(other.findAll(anyRequestedFor(anyUrl()).withHeader("Private-Token", matching(".*")))).as(at).isEmpty();
      assertThat(other.findAll(anyRequestedFor(anyUrl()))).as(at + ": a request to the other origin").isEmpty();
      assertThat(api.findAll(anyRequestedFor(anyUrl()).withHeader("Private-Token", equalTo(TOKEN))))
          .as(at + ": every request to the API carries its token").hasSameSizeAs(api.findAll(anyRequestedFor(anyUrl())));
      for (ILoggingEvent event : logs.list) {
        String line = event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
        assertThat(line).as(at + ": a log line").doesNotContain(TOKEN);
      }
    }
    System.out.printf("HttpFuzzTest: seed %d, %d cases, %d returned, %d failed with a clean error, in %.1f s%n", SEED, CASES,
        results, errors, (System.nanoTime() - started) / 1e9);
    // The cases are worth their name: many calls fail, and many hostile-looking answers still read.
    assertThat(errors).as("cases that failed").isGreaterThan(CASES / 3);
    assertThat(results).as("cases that returned").isGreaterThan(CASES / 10);
  }

  static void assertCleanMessage(RuntimeException e, String at) {
    String message = e.getMessage();
    assertThat(message).as(at).isNotBlank().contains("GitLab").doesNotContain(TOKEN)
        .doesNotContain("java.").doesNotContain("javax.").doesNotContain("jdk.").doesNotContain("Exception:")
        .doesNotContain("Error:").doesNotContain("com.fasterxml").hasSizeLessThan(1_000);
    assertThat(message.codePoints().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT))
        .as(at + ": control characters in " + message).isEmpty();
    if (e instanceof ConfigException) {
      assertThat(message).as(at).contains("OBSERVES_GITLAB_TOKEN");
    }
  }
}
