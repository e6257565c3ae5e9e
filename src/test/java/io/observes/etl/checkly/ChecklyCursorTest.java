package io.observes.etl.checkly;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import io.observes.testing.CliRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkly ETL on v2's {@code nextId} cursor when Checkly misbehaves: a page answered 429 or
 * 5xx is asked again from the same cursor; a cursor that comes back, a walk past the bound on
 * pages and an answer without its entries fail the run, the state untouched.
 */
class ChecklyCursorTest extends ChecklyStandIns {
  static final String RESULTS = "/v2/check-results/check-api";

  void results(int n) {
    for (int i = 0; i < n; i++) {
      fake.result("check-api", "r-" + i, NOW.minus(Duration.ofHours(2)).plusSeconds(i));
    }
  }

  List<String> asked() {
    return checkly.findAll(getRequestedFor(urlPathEqualTo(RESULTS))).stream().map(LoggedRequest::getUrl).toList();
  }

  void answer(boolean withCursor, String cursor, String body) {
    var request = get(urlPathEqualTo(RESULTS)).atPriority(1);
    request = withCursor ? request.withQueryParam("nextId", equalTo(cursor)) : request.withQueryParam("nextId", absent());
    checkly.stubFor(request.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
  }

  @Test
  void aPageAnswered429Then503IsAskedAgainFromTheSameCursor() throws Exception {
    results(250);
    String cursorPage = "cursor";
    checkly.stubFor(get(urlPathEqualTo(RESULTS)).withQueryParam("nextId", matching(".+")).atPriority(1).inScenario(cursorPage)
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("limited")
        .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withHeader("Retry-After", "1")
            .withBody("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Too Many Requests\"}")));
    checkly.stubFor(get(urlPathEqualTo(RESULTS)).withQueryParam("nextId", matching(".+")).atPriority(1).inScenario(cursorPage)
        .whenScenarioStateIs("limited").willSetStateTo("failed")
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
            .withBody("{\"statusCode\":503,\"error\":\"Service Unavailable\",\"message\":\"Service Unavailable\"}")));
    checkly.stubFor(get(urlPathEqualTo(RESULTS)).withQueryParam("nextId", matching(".+")).atPriority(1).inScenario(cursorPage)
        .whenScenarioStateIs("failed").willReturn(aResponse().withTransformers(FakeCheckly.NAME)));

    CliRun.Result r = checkly("--look-back-hours", "6");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertLandedOnce("check_results", 250);
    // The first page, its cursor three times (429, 503, the page), the last page.
    List<String> asked = asked();
    assertThat(asked).hasSize(5);
    assertThat(asked.get(1)).contains("&nextId=").isEqualTo(asked.get(2)).isEqualTo(asked.get(3));
    assertThat(asked.get(4)).contains("&nextId=").isNotEqualTo(asked.get(3));
  }

  @Test
  void aCursorThatComesBackFailsTheRunAndKeepsTheState() throws Exception {
    fake.result("check-api", "r-1", NOW.minus(Duration.ofHours(3)));
    assertThat(checkly("--look-back-hours", "12").code()).isZero();
    StoredObject before = s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow();
    clock.advance(Duration.ofHours(1));
    String entry = fake.result("check-api", "r-2", NOW.plus(Duration.ofMinutes(30))).toString();
    answer(false, null, "{\"length\": 1, \"entries\": [" + entry + "], \"nextId\": \"again\"}");
    answer(true, "again", "{\"length\": 1, \"entries\": [" + entry + "], \"nextId\": \"again\"}");

    CliRun.Result r = checkly();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Checkly's paging of listing the results of check check-api", "(page 2) leads back to page 2, "
        + "already read: a loop, not a list");
    assertThat(asked()).hasSize(1 + 2);
    assertThat(s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow().etag()).isEqualTo(before.etag());
    assertLandedOnce("check_results", 1);
  }

  @Test
  void aCursorPastTheBoundOnPagesFailsTheRun() throws Exception {
    results(250);
    extraEnv.put("OBSERVES_CHECKLY_HTTP_MAX_PAGES", "2");

    CliRun.Result r = checkly("--look-back-hours", "6");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Checkly's paging of listing the results of check check-api", "goes on past 2 pages");
    assertThat(asked()).hasSize(2);
    assertThat(state()).isEmpty();
  }

  @Test
  void anAnswerWithoutEntriesIsEmptyOnlyWhenItsLengthIsZero() throws Exception {
    answer(false, null, "{\"length\": 0, \"nextId\": null}");
    CliRun.Result empty = checkly("--look-back-hours", "6");
    assertThat(empty.code()).as(empty.err() + empty.logs()).isZero();
    assertThat(asked()).hasSize(1);
    assertThat(count("SELECT COUNT(*) FROM checkly.check_results")).isZero();
    StoredObject before = s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow();
    clock.advance(Duration.ofHours(1));
    answer(false, null, "{\"length\": 2, \"nextId\": null}");

    CliRun.Result r = checkly();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Checkly answered listing the results of check check-api", "(page 1) without a list of "
        + "entries (none, length 2): not the documented page of results");
    assertThat(s3.store().readVersioned(new S3Uri("state", "checkly/state.json")).orElseThrow().etag()).isEqualTo(before.etag());
  }
}
