package io.observes.jobs.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.observes.jobs.gitlab.GitLabFixtures.API;
import static io.observes.jobs.gitlab.GitLabFixtures.CLOCK;
import static io.observes.jobs.gitlab.GitLabFixtures.TOKEN;
import static io.observes.jobs.gitlab.GitLabFixtures.ago;
import static io.observes.jobs.gitlab.GitLabFixtures.cancelRequest;
import static io.observes.jobs.gitlab.GitLabFixtures.cancelled;
import static io.observes.jobs.gitlab.GitLabFixtures.job;
import static io.observes.jobs.gitlab.GitLabFixtures.listPage;
import static io.observes.jobs.gitlab.GitLabFixtures.page;
import static io.observes.jobs.gitlab.GitLabFixtures.rateLimited;
import static io.observes.jobs.gitlab.GitLabFixtures.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitLab client against WireMock as GitLab: paging, path encoding, retries (without sleeping), errors. */
class GitLabClientTest {
  static final ProjectId PROJECT = new ProjectId("4711");
  static final List<String> UNFINISHED = StuckJobCanceller.UNFINISHED;

  WireMockServer gitlab;
  final List<Duration> pauses = new ArrayList<>();

  @BeforeEach
  void start() {
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    gitlab.start();
  }

  @AfterEach
  void stop() {
    gitlab.stop();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + gitlab.port();
  }

  GitLabClient client() {
    return new GitLabClient(new GitLabSettings(URI.create(baseUrl() + API), TOKEN), GitLabClient.defaultHttpClient(),
        RetryPolicy.DEFAULT, pauses::add, CLOCK);
  }

  @Test
  void followsXNextPageUntilItIsEmpty() {
    gitlab.stubFor(listPage("4711", 1).willReturn(page(baseUrl(), "4711", 1, 2, 3,
        job(9104, "rspec 3/4", "test", "running", ago(Duration.ofHours(1))),
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(2))))));
    gitlab.stubFor(listPage("4711", 2).willReturn(page(baseUrl(), "4711", 2, 2, 3,
        job(9001, "e2e:chrome", "test", "created", ago(Duration.ofDays(3))))));

    List<GitLabJob> jobs = client().jobs(PROJECT, UNFINISHED);

    assertThat(jobs).extracting(GitLabJob::id).containsExactly(9104L, 9103L, 9001L);
    GitLabJob first = jobs.get(0);
    assertThat(first.name()).isEqualTo("rspec 3/4");
    assertThat(first.status()).isEqualTo("running");
    assertThat(first.stage()).isEqualTo("test");
    assertThat(first.ref()).isEqualTo("main");
    assertThat(first.createdAt()).isEqualTo(ago(Duration.ofHours(1)));
    assertThat(first.startedAt()).isEqualTo(ago(Duration.ofHours(1)).plusSeconds(95));
    assertThat(first.pipeline()).isEqualTo(new GitLabJob.Pipeline(2208, "main", "running"));
    assertThat(first.webUrl()).isEqualTo("https://gitlab.example.com/observes/etl-platform/-/jobs/9104");
    assertThat(jobs.get(1).startedAt()).isNull();
    gitlab.verify(2, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
    assertThat(pauses).isEmpty();
  }

  @Test
  void stopsAtAnEmptyPageAndReturnsAJobSeenTwiceOnce() {
    // A job that started meanwhile shifts the offset pages: 9103 shows up again on page 2.
    gitlab.stubFor(listPage("4711", 1).willReturn(page(baseUrl(), "4711", 1, 3, 201,
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(2))))));
    gitlab.stubFor(listPage("4711", 2).willReturn(page(baseUrl(), "4711", 2, 3, 201,
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(2))))));
    gitlab.stubFor(listPage("4711", 3).willReturn(page(baseUrl(), "4711", 3, 4, 201)));

    assertThat(client().jobs(PROJECT, UNFINISHED)).extracting(GitLabJob::id).containsExactly(9103L);
    gitlab.verify(3, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
  }

  @Test
  void aProjectPathIsOneEncodedSegment() {
    gitlab.stubFor(listPage("observes%2Fetl-platform", 1).willReturn(page(baseUrl(), "observes%2Fetl-platform", 1, 1, 0)));
    gitlab.stubFor(cancelRequest("observes%2Fetl-platform", 9001)
        .willReturn(cancelled(9001, "e2e:chrome", "test", ago(Duration.ofDays(3)))));

    ProjectId path = new ProjectId("observes/etl-platform");
    assertThat(client().jobs(path, UNFINISHED)).isEmpty();
    GitLabJob after = client().cancel(path, 9001);

    assertThat(after.id()).isEqualTo(9001);
    assertThat(after.status()).isEqualTo("canceled");
    gitlab.verify(1, postRequestedFor(urlPathEqualTo(API + "/projects/observes%2Fetl-platform/jobs/9001/cancel")));
  }

  @Test
  void a429IsRetriedAfterItsRetryAfterSeconds() {
    gitlab.stubFor(listPage("4711", 1).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("waited").willReturn(rateLimited("7")));
    gitlab.stubFor(listPage("4711", 1).inScenario("limited").whenScenarioStateIs("waited")
        .willReturn(page(baseUrl(), "4711", 1, 1, 1, job(9001, "e2e:chrome", "test", "pending", ago(Duration.ofDays(3))))));

    assertThat(client().jobs(PROJECT, UNFINISHED)).extracting(GitLabJob::id).containsExactly(9001L);
    assertThat(pauses).containsExactly(Duration.ofSeconds(7));
    gitlab.verify(2, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
  }

  @Test
  void aRetryAfterDateIsWaitedForFromNow() {
    gitlab.stubFor(cancelRequest("4711", 9001).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("waited").willReturn(rateLimited("Wed, 04 Mar 2026 12:00:42 GMT")));
    gitlab.stubFor(cancelRequest("4711", 9001).inScenario("limited").whenScenarioStateIs("waited")
        .willReturn(cancelled(9001, "e2e:chrome", "test", ago(Duration.ofDays(3)))));

    assertThat(client().cancel(PROJECT, 9001).status()).isEqualTo("canceled");
    assertThat(pauses).containsExactly(Duration.ofSeconds(42));
  }

  @Test
  void serverErrorsAndDroppedConnectionsAreRetriedWithGrowingJitteredWaits() {
    gitlab.stubFor(listPage("4711", 1).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("reset").willReturn(serverError()));
    gitlab.stubFor(listPage("4711", 1).inScenario("flaky").whenScenarioStateIs("reset")
        .willSetStateTo("unavailable").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    gitlab.stubFor(listPage("4711", 1).inScenario("flaky").whenScenarioStateIs("unavailable")
        .willSetStateTo("up").willReturn(aResponse().withStatus(503).withBody("<html>GitLab is not responding</html>")));
    gitlab.stubFor(listPage("4711", 1).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(page(baseUrl(), "4711", 1, 1, 0)));

    assertThat(client().jobs(PROJECT, UNFINISHED)).isEmpty();

    assertThat(pauses).hasSize(3);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(pauses.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(pauses.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    gitlab.verify(4, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
  }

  @Test
  void givesUpAfterFiveAttemptsWithAnErrorThatNamesTheCallButNotTheToken() {
    gitlab.stubFor(listPage("4711", 1).willReturn(aResponse().withStatus(502).withBody("bad gateway for token " + TOKEN)));

    assertThatThrownBy(() -> client().jobs(PROJECT, UNFINISHED))
        .isInstanceOf(GitLabException.class)
        .hasMessageContaining("502").hasMessageContaining("listing the jobs of project 4711 (page 1)")
        .hasMessageNotContaining(TOKEN)
        .satisfies(e -> assertThat(((GitLabException) e).status()).isEqualTo(502));
    gitlab.verify(5, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
    assertThat(pauses).hasSize(4);
  }

  @Test
  void anUnreachableGitLabFailsAfterFiveAttempts() {
    int port = gitlab.port();
    gitlab.stop();
    GitLabClient client = new GitLabClient(new GitLabSettings(URI.create("http://127.0.0.1:" + port + API), TOKEN),
        GitLabClient.defaultHttpClient(), RetryPolicy.DEFAULT, pauses::add, CLOCK);

    assertThatThrownBy(() -> client.cancel(PROJECT, 9001))
        .isInstanceOf(GitLabException.class)
        .hasMessageContaining("could not be reached for cancelling job 9001 of project 4711 in 5 attempts")
        .hasMessageNotContaining(TOKEN);
    assertThat(pauses).hasSize(4);
  }

  @Test
  void aForbiddenCancelIsNotRetried() {
    gitlab.stubFor(cancelRequest("4711", 9001).willReturn(GitLabFixtures.forbidden()));

    assertThatThrownBy(() -> client().cancel(PROJECT, 9001))
        .isInstanceOf(GitLabException.class)
        .hasMessage("GitLab answered 403 (403 Forbidden) to cancelling job 9001 of project 4711");
    gitlab.verify(1, anyRequestedFor(anyUrl()));
    assertThat(pauses).isEmpty();
  }

  @Test
  void aRejectedTokenIsAConfigurationError() {
    gitlab.stubFor(listPage("4711", 1).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"401 Unauthorized\"}")));

    assertThatThrownBy(() -> client().jobs(PROJECT, UNFINISHED))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OBSERVES_GITLAB_TOKEN").hasMessageNotContaining(TOKEN);
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    Instant now = GitLabFixtures.NOW;
    assertThat(RetryingHttp.retryAfter(headers("120"), now)).contains(Duration.ofSeconds(120));
    assertThat(RetryingHttp.retryAfter(headers("Wed, 04 Mar 2026 12:01:00 GMT"), now)).contains(Duration.ofMinutes(1));
    assertThat(RetryingHttp.retryAfter(headers("Wed, 04 Mar 2026 11:00:00 GMT"), now)).contains(Duration.ZERO);
    assertThat(RetryingHttp.retryAfter(headers("soon"), now)).isEmpty();
    assertThat(RetryingHttp.retryAfter(java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true), now)).isEmpty();
  }

  static java.net.http.HttpHeaders headers(String retryAfter) {
    return java.net.http.HttpHeaders.of(java.util.Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
  }
}
