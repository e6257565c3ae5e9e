package io.observes.etl.checkly;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import io.observes.testing.CliRun;
import io.observes.testing.ColumnLineage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code observes etl checkly} end to end: WireMock as Checkly (FakeCheckly: v1 pages, v2's
 * {@code nextId} cursor for results, the documented errors), s3proxy for staging and state,
 * embedded PostgreSQL.
 */
class ChecklyEtlTest extends ChecklyStandIns {
  @Test
  void aFirstRunLoadsTheAccountAndEveryChecksResultsInOneWalkOverTheLookBack() throws Exception {
    // Results 1 h and 20 h ago, with nothing between them: one request per check whatever the gap.
    fake.result("check-api", "r-api-1", NOW.minus(Duration.ofHours(20)));
    fake.result("check-api", "r-api-2", NOW.minus(Duration.ofHours(1)));
    fake.result("check-browser", "r-browser-1", NOW.minus(Duration.ofHours(19)));
    fake.result("check-api", "r-too-old", end().minus(Duration.ofHours(24)).minusSeconds(1));
    fake.result("check-api", "r-too-new", end());

    CliRun.Result r = checkly("--look-back-hours", "24");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertLandedOnce("checks", 2);
    assertThat(count("SELECT COUNT(*) FROM checkly.checks__locations")).isEqualTo(4);
    assertLandedOnce("check_groups", 1);
    assertThat(count("SELECT COUNT(*) FROM checkly.check_status")).isEqualTo(2);
    assertLandedOnce("alert_channels", 1);
    assertLandedOnce("check_results", 3);
    assertLandedOnce("check_results_api", 2);
    assertLandedOnce("check_results_browser", 1);
    assertThat(count("SELECT COUNT(*) FROM checkly.check_results_browser__pages")).isEqualTo(2);
    assertThat(pg.rows("SELECT check_id, response__status, response__timings__end FROM checkly.check_results_api "
        + "WHERE id = 'r-api-1'")).containsExactly(Map.of("check_id", "check-api", "response__status", "200",
            "response__timings__end", "129.71048199990764"));
    // [now - 5 min - 24 h, now - 5 min): from included, to excluded, as v2 documents them.
    assertThat(resultRequests("check-api")).containsExactly("/v2/check-results/check-api?limit=100&from="
        + end().minus(Duration.ofHours(24)).getEpochSecond() + "&to=" + end().getEpochSecond());
    assertThat(resultRequests("check-browser")).hasSize(1);
    assertThat(fake.served).noneMatch(u -> u.startsWith("/v1/check-results"));
    assertThat(state().orElseThrow().path("data").path("results").path("newest").asText()).isEqualTo(end().toString());
    assertThat(r.all()).doesNotContain(KEY);
    assertThat(ColumnLineage.servedBy(checkly).violations(pg, "checkly")).isEmpty();
  }

  @Test
  void aChecksResultsAreReadCursorByCursorToTheLastPage() throws Exception {
    for (int i = 0; i < 250; i++) {
      fake.result("check-api", "r-" + i, NOW.minus(Duration.ofHours(2)).plusSeconds(i));
    }

    assertThat(checkly("--look-back-hours", "6").code()).isZero();

    assertLandedOnce("check_results", 250);
    // Pages of 100, 100 and 50 (nextId null): each next page is the same query from the cursor.
    List<String> pages = resultRequests("check-api");
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0)).doesNotContain("nextId");
    for (String page : pages.subList(1, 3)) {
      assertThat(page).startsWith(pages.get(0) + "&nextId=");
    }
  }

  @Test
  void aResultReadTwiceLandsOnceAndARerunAddsNothing() throws Exception {
    // The cursor of every page starts one entry back: the last result of a page comes again.
    fake.overlap(1);
    for (int i = 0; i < 150; i++) {
      fake.result("check-api", "r-" + i, NOW.minus(Duration.ofHours(2)).plusSeconds(i));
    }

    CliRun.Result first = checkly("--look-back-hours", "6");

    assertThat(first.code()).as(first.err() + first.logs()).isZero();
    // The result read twice is two records: its check_results row and its check_results_api row.
    assertThat(first.out()).contains("2 record(s) read twice were loaded once");
    assertThat(resultRequests("check-api")).hasSize(2);
    assertLandedOnce("check_results", 150);
    assertLandedOnce("check_results_api", 150);
    Instant newest = Instant.parse(state().orElseThrow().path("data").path("results").path("newest").asText());
    fake.served.clear();
    clock.advance(Duration.ofHours(1));

    CliRun.Result again = checkly();

    assertThat(again.code()).as(again.err() + again.logs()).isZero();
    assertThat(resultRequests("check-api")).containsExactly("/v2/check-results/check-api?limit=100&from="
        + newest.getEpochSecond() + "&to=" + end().getEpochSecond());
    assertLandedOnce("check_results", 150);
    assertLandedOnce("check_results_api", 150);
  }

  @Test
  void theNextRunReadsOnlyResultsAfterTheLastAndReplacesTheAccount() throws Exception {
    fake.result("check-api", "r-1", NOW.minus(Duration.ofHours(3)));
    assertThat(checkly("--look-back-hours", "12").code()).isZero();
    Instant newest = Instant.parse(state().orElseThrow().path("data").path("results").path("newest").asText());
    fake.served.clear();
    clock.advance(Duration.ofHours(8));
    fake.result("check-api", "r-2", NOW.plus(Duration.ofHours(2)));
    fake.removeCheck("check-browser");

    CliRun.Result r = checkly();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(resultRequests("check-api")).containsExactly("/v2/check-results/check-api?limit=100&from="
        + newest.getEpochSecond() + "&to=" + end().getEpochSecond());
    assertLandedOnce("check_results", 2);
    assertLandedOnce("checks", 1);
    assertThat(state().orElseThrow().path("data").path("results").path("oldest").asText())
        .isEqualTo(NOW.minus(ChecklySource.SETTLE).minus(Duration.ofHours(12)).toString());
  }

  @Test
  void persistentServerErrorsFailTheRunNeverReadAsNoResults() throws Exception {
    fake.result("check-api", "r-1", NOW.minus(Duration.ofHours(3)));
    assertThat(checkly("--look-back-hours", "12").code()).isZero();
    StoredObject before = s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow();
    clock.advance(Duration.ofHours(8));
    fake.result("check-api", "r-2", NOW.plus(Duration.ofHours(2)));
    checkly.stubFor(get(urlPathEqualTo("/v2/check-results/check-browser")).atPriority(1)
        .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
            .withBody("{\"statusCode\":500,\"error\":\"Internal Server Error\",\"message\":\"An internal server error occurred\"}")));

    CliRun.Result r = checkly();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Checkly answered 500", "results of check check-browser", "in 5 attempts");
    assertThat(s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow().etag()).isEqualTo(before.etag());
    assertLandedOnce("check_results", 1);
  }

  @Test
  void aRateLimitedCallIsSentAgain() throws Exception {
    fake.result("check-api", "r-1", NOW.minus(Duration.ofHours(3)));
    checkly.stubFor(get(urlPathEqualTo("/v1/checks")).atPriority(1).inScenario("limited")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("waited")
        .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withHeader("Retry-After", "2")
            .withBody("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Too Many Requests\"}")));
    checkly.stubFor(get(urlPathEqualTo("/v1/checks")).atPriority(1).inScenario("limited").whenScenarioStateIs("waited")
        .willReturn(aResponse().withTransformers(FakeCheckly.NAME)));

    CliRun.Result r = checkly("--look-back-hours", "6");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    checkly.verify(2, getRequestedFor(urlPathEqualTo("/v1/checks")));
    assertLandedOnce("checks", 2);
  }

  @Test
  void aRejectedKeyIsAConfigurationErrorWithoutTheKey() throws Exception {
    Map<String, String> env = env();
    env.put("OBSERVES_CHECKLY_API_KEY", KEY + "-revoked");

    CliRun.Result r = CliRun.run(env, clock, "etl", "checkly");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Checkly rejected the credentials", "Bad Token", "OBSERVES_CHECKLY_API_KEY");
    assertThat(r.all()).doesNotContain(KEY);
    assertThat(state()).isEmpty();
  }

  @Test
  void reportsAreMergedByCheckAndDaySoARerunReplacesThem() throws Exception {
    fake.result("check-api", "r-api-1", NOW.minus(Duration.ofHours(1)));
    fake.result("check-browser", "r-browser-1", NOW.minus(Duration.ofHours(2)));
    assertThat(checkly("--look-back-hours", "6", "--reports").code()).isZero();
    clock.advance(Duration.ofHours(1));
    CliRun.Result again = checkly("--reports");

    assertThat(again.code()).as(again.err() + again.logs()).isZero();
    assertThat(pg.rows("SELECT checkid AS check_id, report_from, aggregate__p95 FROM checkly.check_reports ORDER BY 1"))
        .extracting(row -> row.get("check_id") + " " + row.get("report_from") + " " + row.get("aggregate__p95"))
        .containsExactly("check-api 2026-03-09 00:00:00+00 210", "check-browser 2026-03-09 00:00:00+00 210");
    assertThat(ColumnLineage.servedBy(checkly).violations(pg, "checkly")).isEmpty();
  }

  @Test
  void aCrashBetweenTheCommitAndTheStateWriteLoadsNothingTwice() throws Exception {
    fake.result("check-api", "r-1", NOW.minus(Duration.ofHours(3)));
    assertThat(checkly("--look-back-hours", "12").code()).isZero();
    StoredObject before = s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow();
    clock.advance(Duration.ofHours(8));
    fake.result("check-api", "r-2", NOW.plus(Duration.ofHours(2)));
    assertThat(checkly().code()).isZero();
    s3.store().put(new S3Uri("state", "checkly/state.json"), before.bytes());

    assertThat(checkly().code()).isZero();

    assertLandedOnce("check_results", 2);
    assertLandedOnce("check_results_api", 2);
  }

  @Test
  void aStateOlderThanWhatChecklyKeepsStartsAtTheOldestResultStillThereAndSaysSo() throws Exception {
    s3.store().put(new S3Uri("state", "checkly/state.json"), ("{\"format\": 1, \"etl\": \"checkly\", \"run\": \"old\", "
        + "\"written_at\": \"2026-01-01T00:00:00Z\", \"data\": {\"results\": {\"newest\": \"2026-01-01T00:00:00Z\", "
        + "\"oldest\": \"2025-12-01T00:00:00Z\"}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    fake.result("check-api", "r-1", NOW.minus(Duration.ofDays(29)));

    CliRun.Result r = checkly();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(r.logs()).contains("Checkly keeps them only 30 days");
    assertThat(resultRequests("check-api")).containsExactly("/v2/check-results/check-api?limit=100&from="
        + end().minus(Duration.ofDays(30)).plusSeconds(60).getEpochSecond() + "&to=" + end().getEpochSecond());
    assertLandedOnce("check_results", 1);
    assertThat(state().orElseThrow().path("data").path("results").path("oldest").asText()).isEqualTo("2025-12-01T00:00:00Z");
  }

  @Test
  void aDryRunLoadsNothing() throws Exception {
    fake.result("check-api", "r-1", NOW.minus(Duration.ofHours(3)));

    CliRun.Result r = checkly("--look-back-hours", "6", "--dry-run");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(r.out()).contains("Dry run", "check_results", "State after");
    assertThat(pg.rows("SELECT 1 FROM pg_namespace WHERE nspname IN ('checkly', 'observes_meta')")).isEmpty();
    assertThat(state()).isEmpty();
    checkly.verify(0, getRequestedFor(anyUrl()).withQueryParam("limit", com.github.tomakehurst.wiremock.client.WireMock
        .equalTo("500")));
  }
}
