package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.http.Query;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A month of 25,000 merged merge requests, more than GitLab counts in one list (10,000): the run
 * walks them in {@code updated_at} windows GitLab still counts, checks each window for drift (one
 * is updated under the walk), loads every merge request once, and a rerun adds nothing.
 */
class GitLabLargeMonthTest extends ApiEtlStandIns {
  static final long PROJECT = 4711;
  static final int MERGE_REQUESTS = 25_000;
  static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
  /** 25,000 updates 107 s apart: 30.96 days, all in March. */
  static final Duration APART = Duration.ofSeconds(107);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern FIRST_PAGE = Pattern.compile("[?&]page=1(&|$)");

  WireMockServer gitlab;
  FakeGitLab fake;
  MutableClock clock = new MutableClock(Instant.parse("2026-04-01T12:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    fake = new FakeGitLab();
    fake.project(PROJECT, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
    reset("gitlab-ci", "gitlab_ci_issues");
    fake.mergeRequests(PROJECT, 100_000, MERGE_REQUESTS, "merged", i -> MARCH.plus(APART.multipliedBy(i)));
  }

  @AfterEach
  void stop() {
    gitlab.stop();
  }

  CliRun.Result gitlab() {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API);
    env.put("OBSERVES_GITLAB_TOKEN", "glpat-Zk3vR2mN9sK4tW8yB3cQ");
    return CliRun.run(env, clock, "etl", "gitlab", "--project", "observes/etl");
  }

  @Test
  void aMonthOfMoreMergeRequestsThanGitLabCountsIsWalkedInCheckedWindowsAndLoadedOnce() throws Exception {
    // Under the walk (past its 150th page), the first merge request of the page read last is
    // updated: it leaves its window, the pages after it shift by one, and the window's total drops.
    AtomicLong moved = new AtomicLong();
    fake.beforeEachList(url -> {
      if (url.contains("state=merged") && !FIRST_PAGE.matcher(url).find() && merged().size() >= 150 && moved.get() == 0) {
        moved.set(firstId(merged().get(merged().size() - 1)));
        fake.mergeRequests(PROJECT, moved.get(), 1, "merged", i -> clock.instant());
      }
    });

    CliRun.Result first = gitlab();

    assertThat(first.code()).as(first.err() + first.logs()).isZero();
    assertThat(moved.get()).as("an update under the walk").isPositive();
    assertThat(first.logs()).contains("X-Total went from");
    assertLandedOnce(MERGE_REQUESTS);
    Instant end = clock.instant().minus(GitLabSource.SETTLE);
    List<Window> windows = windows();
    // Every window walked was counted by GitLab on every page, and the windows tile (beginning, end].
    assertThat(windows).allSatisfy(w -> assertThat(w.total()).isBetween(0, FakeGitLabPages.COUNT_LIMIT));
    assertThat(windows.get(0).after()).isNull();
    for (int i = 1; i < windows.size(); i++) {
      assertThat(windows.get(i).after()).isEqualTo(windows.get(i - 1).before());
    }
    assertThat(windows.get(windows.size() - 1).before()).isEqualTo(end);
    assertThat(windows).filteredOn(w -> w.passes() == 2).hasSize(1);
    // No page asked for in vain: each window's pages once per pass, and few first pages GitLab did not count.
    assertThat(windows).allSatisfy(w -> assertThat(w.pages()).isLessThanOrEqualTo(w.passes() * (w.total() / 100 + 1)));
    assertThat(merged().stream().filter(a -> a.total() == null)).hasSizeBetween(1, 3);
    assertThat(coveredTo(GitLabSource.MERGED)).isEqualTo(end);
    fake.served.clear();
    fake.answers.clear();

    clock.advance(Duration.ofHours(4));
    CliRun.Result rerun = gitlab();

    assertThat(rerun.code()).as(rerun.err() + rerun.logs()).isZero();
    assertLandedOnce(MERGE_REQUESTS);
    // One page per stream: merged (the merge request updated under the first run's walk), closed, pipelines.
    assertThat(fake.served).hasSize(3);
    assertThat(pg.rows("SELECT updated_at FROM \"gitlab-ci\".merge_requests WHERE id = " + moved.get()))
        .extracting(row -> row.get("updated_at")).singleElement().asString().startsWith("2026-04-01 12:00:00");
  }

  /** A window of the merged list as walked: its bounds, its X-Total, how often its first page was asked for, its pages. */
  record Window(Instant after, Instant before, int total, int passes, int pages) {}

  List<FakeGitLabPages.Answer> merged() {
    return fake.answers.stream().filter(a -> a.url().contains("state=merged")).toList();
  }

  /** The windows of the merged list whose pages GitLab counted, oldest first; every page of each carried X-Total. */
  List<Window> windows() {
    Map<String, List<FakeGitLabPages.Answer>> byWindow = new LinkedHashMap<>();
    for (FakeGitLabPages.Answer a : merged()) {
      URI url = URI.create(a.url());
      byWindow.computeIfAbsent(Query.value(url, "updated_after").orElse("") + "/" + Query.value(url, "updated_before")
          .orElseThrow(), k -> new ArrayList<>()).add(a);
    }
    List<Window> windows = new ArrayList<>();
    byWindow.forEach((key, answers) -> {
      if (answers.get(0).total() == null) {
        // A probe GitLab did not count: the window was split, none of it was walked.
        assertThat(answers).as(key).hasSize(1);
        return;
      }
      assertThat(answers).as(key + ": every page counted").allSatisfy(a -> assertThat(a.total()).isNotNull());
      String[] bounds = key.split("/");
      windows.add(new Window(bounds[0].isEmpty() ? null : Instant.parse(bounds[0]), Instant.parse(bounds[1]),
          answers.get(0).total(), (int) answers.stream().filter(a -> FIRST_PAGE.matcher(a.url()).find()).count(), answers.size()));
    });
    windows.sort(Comparator.comparing(Window::before));
    return windows;
  }

  static long firstId(FakeGitLabPages.Answer page) {
    try {
      return JSON.readTree(page.response().getBody()).get(0).get("id").asLong();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void assertLandedOnce(long expected) throws Exception {
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(expected);
    assertThat(count("SELECT COUNT(DISTINCT id) FROM \"gitlab-ci\".merge_requests")).isEqualTo(expected);
  }

  Instant coveredTo(String stream) throws Exception {
    Optional<byte[]> bytes = s3.store().read(new S3Uri("state", "gitlab/state.json"));
    JsonNode intervals = JSON.readTree(bytes.orElseThrow()).path("data").path("projects").path("observes/etl").path(stream)
        .path("intervals");
    assertThat(intervals).as(stream + " intervals").hasSize(1);
    return Instant.parse(intervals.get(0).path("to").asText());
  }
}
