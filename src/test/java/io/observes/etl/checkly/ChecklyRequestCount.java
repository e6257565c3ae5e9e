package io.observes.etl.checkly;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.http.RateLimit;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.testing.TestRetries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A first run of the checkly source against {@link FakeCheckly} with a schedule of results, its
 * requests counted: the harness of {@link ChecklyRequestCountTest} and {@link ChecklyRequestsBenchmark}.
 * No warehouse: the records are counted and dropped, the request count is what is measured.
 */
final class ChecklyRequestCount {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final int LIMIT = 100;
  /** The six-hour windows of v1 {@code /v1/check-results}, for the arithmetic of the old walk. */
  static final Duration V1_WINDOW = Duration.ofHours(6);

  /** What a first run asked and read: check-result requests, the other requests, result rows. */
  record Counts(long resultRequests, long otherRequests, long results) {
    long requests() {
      return resultRequests + otherRequests;
    }
  }

  /** A scenario: {@code checks} checks, each run every {@code every} in {@code locations}, a first run looking back {@code lookBack}. */
  record Scenario(int checks, Duration lookBack, Duration every, List<String> locations) {
    /** Where the first run reads: {@code [to - lookBack, to)}, {@code to} = now - the settling time. */
    Instant to() {
      return NOW.minus(ChecklySource.SETTLE);
    }

    Instant from() {
      return to().minus(lookBack);
    }

    /** Results exist from a day before the look-back to now, so both ends cut through them. */
    FakeCheckResults.Schedule schedule() {
      return new FakeCheckResults.Schedule(from().minus(Duration.ofDays(1)), NOW, every, locations);
    }

    /** Results of one check started in {@code [a, b)}. */
    long results(Instant a, Instant b) {
      FakeCheckResults.Schedule s = schedule();
      return (s.slotAt(b.getEpochSecond()) - s.slotAt(a.getEpochSecond())) * locations.size();
    }

    /** Requests for the rest of the account: checks (page 2 when page 1 is full), groups, statuses, channels. */
    long otherRequests() {
      return checks / LIMIT + 1 + 3;
    }

    /**
     * The v2 walk's requests for results: per check one walk of pages of 100 over
     * {@code [from, to)}, the last one (nextId null) possibly short; an empty walk is one request.
     */
    long v2ResultRequests() {
      long n = results(from(), to());
      return Math.max(1, (n + LIMIT - 1) / LIMIT) * checks;
    }

    /**
     * The v1 walk's requests for results (the code before v2, gone now), by the arithmetic of its windows: per check, six-hour
     * windows from {@code from} to {@code to}, each read until a page is not full.
     */
    long v1ResultRequests() {
      long perCheck = 0;
      for (Instant a = from(); a.isBefore(to()); a = a.plus(V1_WINDOW)) {
        Instant b = a.plus(V1_WINDOW).isAfter(to()) ? to() : a.plus(V1_WINDOW);
        perCheck += results(a, b) / LIMIT + 1;
      }
      return perCheck * checks;
    }
  }

  private ChecklyRequestCount() {}

  static Counts firstRun(Scenario scenario) {
    FakeCheckly fake = new FakeCheckly("cu_bench", "acct-bench");
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake)
        .containerThreads(8).disableRequestJournal());
    server.start();
    try {
      server.stubFor(any(urlPathMatching("/v[12]/.*")).willReturn(aResponse().withTransformers(FakeCheckly.NAME)));
      for (int i = 0; i < scenario.checks(); i++) {
        fake.check(String.format("check-%04d", i), "API");
      }
      fake.group(17);
      fake.channel(240783);
      fake.schedule(scenario.schedule());
      Environment env = new Environment(Map.of(ChecklyApi.URL_VARIABLE, "http://127.0.0.1:" + server.port(),
          ChecklyApi.KEY_VARIABLE, "cu_bench", ChecklyApi.ACCOUNT_VARIABLE, "acct-bench"));
      Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
      // Requests are counted, not timed: no budget of our own here (the run's own is 60 a minute).
      ApiClient api = new ApiClient(ChecklyApi.settings(env, TestRetries.FAST).withRate(RateLimit.NONE),
          ApiClient.defaultHttpClient(), clock);
      ChecklySource source = new ChecklySource(api, new ChecklySource.Settings(scenario.lookBack(), false), clock);
      Batch batch = source.read(Segment.only(), Optional.empty(), new ReadProgress());
      long results = batch.records().filter(r -> r.stream().equals(ChecklyStreams.RESULTS.name())).count();
      batch.stateAfter();
      long resultRequests = fake.served.stream().filter(u -> u.contains("/check-results/")).count();
      return new Counts(resultRequests, fake.served.size() - resultRequests, results);
    } finally {
      server.stop();
    }
  }
}
