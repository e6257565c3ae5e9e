package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.testing.MutableClock;
import io.observes.testing.TestRetries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issues of a project in keyset pages, and in offset pages on an instance without them (FakeGitLab as GitLab). */
class GitLabIssuesSourceTest {
  static final long PROJECT = 4711;

  WireMockServer gitlab;
  FakeGitLab fake;

  @BeforeEach
  void start() {
    fake = new FakeGitLab();
    fake.project(PROJECT, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
    // 250 issues created on nine distinct days: the order (created_at, id) has ties for the cursor to get past.
    for (int i = 1; i <= 250; i++) {
      fake.issue(PROJECT, i, "Issue " + i);
    }
    fake.member(PROJECT, 7, "dana", 40);
  }

  @AfterEach
  void stop() {
    gitlab.stop();
  }

  List<SourceRecord> read() {
    Environment env = new Environment(Map.of(GitLabApi.URL_VARIABLE, "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API,
        GitLabApi.TOKEN_VARIABLE, "glpat-Zk3vR2mN9sK4tW8yB3cQ"));
    ApiClient api = new ApiClient(GitLabApi.settings(env, TestRetries.FAST, "read_api"), ApiClient.defaultHttpClient(),
        new MutableClock(Instant.parse("2026-03-10T00:00:00Z")));
    try (var records = new GitLabIssuesSource(api, List.of(new ProjectId("observes/etl")))
        .read(Segment.only(), java.util.Optional.empty(), new ReadProgress()).records()) {
      return records.toList();
    }
  }

  List<String> issueRequests() {
    return fake.served.stream().filter(u -> u.contains("/issues")).toList();
  }

  static long issues(List<SourceRecord> records) {
    return records.stream().filter(r -> r.stream().equals(GitLabStreams.ISSUES.name())).count();
  }

  @Test
  void issuesAreWalkedInKeysetPagesPastAnOffsetLimit() {
    // A self-managed instance whose admin lowered offset_pagination_limit to 100: offset page 2 would be refused.
    fake.offsetLimit(100);

    List<SourceRecord> records = read();

    assertThat(issues(records)).isEqualTo(250);
    assertThat(records.stream().filter(r -> r.stream().equals(GitLabStreams.ISSUES.name()))
        .map(SourceRecord::key).distinct()).hasSize(250);
    // Three full pages would be 300: 100, 100, 50, the last without a Link.
    assertThat(issueRequests()).hasSize(3).allSatisfy(u -> assertThat(u).contains("pagination=keyset", "order_by=created_at",
        "sort=asc").doesNotContainPattern("[?&]page="));
    assertThat(issueRequests().subList(1, 3)).allSatisfy(u -> assertThat(u).contains("cursor="));
  }

  @Test
  void anInstanceWithoutKeysetPagesForIssuesIsWalkedOverOffsetPages() {
    fake.keysetIssues(false);

    List<SourceRecord> records = read();

    assertThat(issues(records)).isEqualTo(250);
    assertThat(fake.answers.stream().filter(a -> a.url().contains("/issues")).map(FakeGitLabPages.Answer::status))
        .containsExactly(405, 200, 200, 200);
    assertThat(issueRequests().subList(1, 4)).allSatisfy(u -> assertThat(u).containsPattern("[?&]page=\\d")
        .doesNotContain("pagination="));
  }
}
