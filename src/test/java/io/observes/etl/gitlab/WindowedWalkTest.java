package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.testing.MutableClock;
import io.observes.testing.TestRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the differential walk cuts a stream into windows GitLab counts, and how far it lets the
 * state advance, read straight from the source (no warehouse): FakeGitLab as GitLab.
 */
class WindowedWalkTest {
  static final long PROJECT = 4711;
  static final ProjectId ETL = new ProjectId("observes/etl");
  static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
  static final Pattern FIRST_PAGE = Pattern.compile("[?&]page=1(&|$)");

  WireMockServer gitlab;
  FakeGitLab fake;
  MutableClock clock = new MutableClock(Instant.parse("2026-04-01T12:00:00Z"));
  Instant end = clock.instant().minus(GitLabSource.SETTLE);

  @BeforeEach
  void start() {
    fake = new FakeGitLab();
    fake.project(PROJECT, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
  }

  @AfterEach
  void stop() {
    gitlab.stop();
  }

  GitLabSource source(long maxPages) {
    Environment env = new Environment(Map.of(GitLabApi.URL_VARIABLE, "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API,
        GitLabApi.TOKEN_VARIABLE, "glpat-Zk3vR2mN9sK4tW8yB3cQ"));
    ApiClient api = new ApiClient(GitLabApi.settings(env, TestRetries.FAST, "read_api"), ApiClient.defaultHttpClient(), clock);
    return new GitLabSource(api, new GitLabSource.Settings(List.of(ETL), null, maxPages), clock);
  }

  /** Reads every record, and returns the merged stream's state after. */
  Covered read(GitLabSource source, Optional<JsonNode> state) {
    Batch batch = source.read(Segment.only(), state, new ReadProgress());
    try (var records = batch.records()) {
      records.forEach((SourceRecord r) -> { });
    }
    return GitLabState.from(batch.stateAfter().orElseThrow(), "the state").covered(ETL, GitLabSource.MERGED);
  }

  List<FakeGitLabPages.Answer> merged() {
    return fake.answers.stream().filter(a -> a.url().contains("state=merged")).toList();
  }

  @Test
  void moreThanGitLabCountsUpdatedWithinOneSecondFailsNamingTheWindow() {
    fake.mergeRequests(PROJECT, 1, 10_001, "merged", i -> MARCH.plusMillis(i % 200));

    Throwable thrown = catchThrowable(() -> read(source(0), Optional.empty()));

    assertThat(thrown).isInstanceOf(ApiException.class).hasMessageContaining(
        "GitLab lists more than 10,000 merge_requests/merged of project observes/etl updated in (the beginning, 2026-03-01T00:00:00.")
        .hasMessageContaining("within one second").hasMessageContaining("Nothing was recorded past the start of the walk");
    // Halved from the whole month down to a second: a request per halving, none of them walked past its first page.
    assertThat(merged()).hasSizeBetween(20, 25).allSatisfy(a -> assertThat(a.total()).isNull());
  }

  @Test
  void aSparseStretchAfterADenseOneIsWalkedAsOneWindow() {
    // 10,500 updates in March's first hour, then 200 over the rest of the month.
    fake.mergeRequests(PROJECT, 1, 10_500, "merged", i -> MARCH.plusMillis(i * 340L));
    fake.mergeRequests(PROJECT, 20_000, 200, "merged", i -> MARCH.plus(Duration.ofHours(2 + 3L * i)));

    Covered covered = read(source(0), Optional.empty());

    assertThat(covered.intervals()).containsExactly(new Covered.Interval(null, end));
    List<FakeGitLabPages.Answer> counted = merged().stream().filter(a -> a.total() != null && FIRST_PAGE.matcher(a.url()).find())
        .toList();
    assertThat(counted).as("windows walked").hasSizeBetween(3, 5);
    FakeGitLabPages.Answer last = counted.get(counted.size() - 1);
    assertThat(last.total()).as("the sparse rest in the last window").isGreaterThanOrEqualTo(195);
    // 107 pages of objects, a few pages split between windows, one uncounted first page per halving.
    assertThat(merged()).hasSizeLessThanOrEqualTo(107 + counted.size() + 12);
  }

  @Test
  void aWindowWhosePagesKeepShiftingIsNotRecordedAndTheNextRunWalksItAgain() {
    fake.mergeRequests(PROJECT, 1, 250, "merged", i -> MARCH.plus(Duration.ofMinutes(i)));
    long[] next = {1};
    // Before every second page, an object of the first page is updated: every pass sees its total drop.
    fake.beforeEachList(url -> {
      if (url.contains("state=merged") && url.matches(".*[?&]page=2(&.*)?$")) {
        fake.mergeRequests(PROJECT, next[0]++, 1, "merged", i -> clock.instant());
      }
    });

    Covered first = read(source(0), Optional.empty());

    assertThat(first.intervals()).isEmpty();
    assertThat(merged().stream().filter(a -> FIRST_PAGE.matcher(a.url()).find())).hasSize(WindowedWalk.PASSES);
    fake.beforeEachList(url -> { });
    clock.advance(Duration.ofHours(1));
    Covered second = read(source(0), Optional.empty());
    assertThat(second.intervals()).containsExactly(new Covered.Interval(null, clock.instant().minus(GitLabSource.SETTLE)));
  }

  @Test
  void aPageBudgetThatStopsAWindowWhosePagesShiftedRecordsNothingOfIt() {
    fake.mergeRequests(PROJECT, 1, 250, "merged", i -> MARCH.plus(Duration.ofMinutes(i)));
    fake.beforeEachList(url -> {
      if (url.contains("state=merged") && url.matches(".*[?&]page=2(&.*)?$")) {
        fake.mergeRequests(PROJECT, 1, 1, "merged", i -> clock.instant());
      }
    });

    Covered shifted = read(source(2), Optional.empty());

    assertThat(shifted.intervals()).isEmpty();
    // Unshifted, the same budget records the updated_at of the last object read (the 200th).
    fake.beforeEachList(url -> { });
    fake.mergeRequests(PROJECT, 1, 250, "merged", i -> MARCH.plus(Duration.ofMinutes(i)));
    assertThat(read(source(2), Optional.empty()).intervals())
        .containsExactly(new Covered.Interval(null, MARCH.plus(Duration.ofMinutes(199))));
  }
}
