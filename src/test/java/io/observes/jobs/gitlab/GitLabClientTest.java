package io.observes.jobs.gitlab;

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
import static io.observes.jobs.gitlab.GitLabFixtures.offsetListPage;
import static io.observes.jobs.gitlab.GitLabFixtures.offsetPage;
import static io.observes.jobs.gitlab.GitLabFixtures.page;
import static io.observes.jobs.gitlab.GitLabFixtures.rateLimited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.etl.gitlab.GitLabApi;
import io.observes.etl.gitlab.ProjectId;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.testing.TestRetries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cancel-ci-jobs' GitLab calls against WireMock as GitLab: keyset and offset paging, path encoding, GitLab's errors. */
class GitLabClientTest {
  static final ProjectId PROJECT = new ProjectId("4711");
  static final List<String> UNFINISHED = StuckJobCanceller.UNFINISHED;

  WireMockServer gitlab;

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
    Environment env = new Environment(Map.of(GitLabApi.URL_VARIABLE, baseUrl() + API, GitLabApi.TOKEN_VARIABLE, TOKEN));
    return new GitLabClient(new ApiClient(GitLabApi.settings(env, TestRetries.FAST, "api"), ApiClient.defaultHttpClient(), CLOCK));
  }

  @Test
  void followsTheKeysetLinkUntilThereIsNone() {
    gitlab.stubFor(listPage("4711", 1).willReturn(page(baseUrl(), "4711", 1, 2,
        job(9104, "rspec 3/4", "test", "running", ago(Duration.ofHours(1))),
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(2))))));
    gitlab.stubFor(listPage("4711", 2).willReturn(page(baseUrl(), "4711", 2, 2,
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
  }

  @Test
  void anInstanceThatRefusesKeysetPagesIsListedOverOffsetPagesAndAJobSeenTwiceIsReturnedOnce() {
    gitlab.stubFor(listPage("4711", 1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(405)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":\"Keyset pagination is not yet available for this type of request\"}")));
    // A job that started meanwhile shifts the offset pages: 9103 shows up again on page 2.
    gitlab.stubFor(offsetListPage("4711", 1).willReturn(offsetPage(baseUrl(), "4711", 1, 3, 201,
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(2))))));
    gitlab.stubFor(offsetListPage("4711", 2).willReturn(offsetPage(baseUrl(), "4711", 2, 3, 201,
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(2))))));
    gitlab.stubFor(offsetListPage("4711", 3).willReturn(offsetPage(baseUrl(), "4711", 3, 4, 201)));

    assertThat(client().jobs(PROJECT, UNFINISHED)).extracting(GitLabJob::id).containsExactly(9103L);
    gitlab.verify(4, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
  }

  @Test
  void aNextLinkToAnotherHostGetsNeitherTheTokenNorAnyRequest() {
    WireMockServer elsewhere = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    elsewhere.start();
    try {
      elsewhere.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(anyUrl())
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("[]")));
      // A keyset page says where the next one is only in its Link: this one points elsewhere.
      gitlab.stubFor(listPage("4711", 1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
          .withHeader("Content-Type", "application/json")
          .withHeader("Link", "<http://127.0.0.1:" + elsewhere.port() + "/steal?page=2>; rel=\"next\"")
          .withBody("[" + job(9104, "rspec 3/4", "test", "running", ago(Duration.ofHours(1))) + "]")));

      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> client().jobs(PROJECT, UNFINISHED));

      elsewhere.verify(0, anyRequestedFor(anyUrl()).withHeader("Private-Token", equalTo(TOKEN)));
      elsewhere.verify(0, anyRequestedFor(anyUrl()));
      assertThat(thrown).isInstanceOf(ApiException.class).hasMessageContaining("GitLab")
          .hasMessageContaining("http://127.0.0.1:" + elsewhere.port()).hasMessageNotContaining(TOKEN);
    } finally {
      elsewhere.stop();
    }
  }

  @Test
  void aListThatDoesNotAnswerEndsWithinTheReadTimeoutOfTheEnvironment() {
    gitlab.stubFor(listPage("4711", 1).willReturn(page(baseUrl(), "4711", 1, 1).withFixedDelay(10_000)));
    Environment env = new Environment(Map.of(GitLabApi.URL_VARIABLE, baseUrl() + API, GitLabApi.TOKEN_VARIABLE, TOKEN,
        "OBSERVES_HTTP_READ_TIMEOUT_SECONDS", "0.5"));
    GitLabClient client = new GitLabClient(new ApiClient(GitLabApi.settings(env, TestRetries.FAST, "api"),
        ApiClient.defaultHttpClient(), CLOCK));

    assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> client.jobs(PROJECT, UNFINISHED)))
        .isInstanceOf(ApiException.class)
        .hasMessage("GitLab did not answer listing the jobs of project 4711 (page 1) (GET /api/v4/projects/4711/jobs) in 5 "
            + "attempts: no answer (headers) in time");
    gitlab.verify(5, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
  }

  @Test
  void aProjectPathIsOneEncodedSegment() {
    gitlab.stubFor(listPage("observes%2Fetl-platform", 1).willReturn(page(baseUrl(), "observes%2Fetl-platform", 1, 1)));
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
  void aRateLimitedCancelIsSentAgain() {
    gitlab.stubFor(cancelRequest("4711", 9001).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("waited").willReturn(rateLimited("1")));
    gitlab.stubFor(cancelRequest("4711", 9001).inScenario("limited").whenScenarioStateIs("waited")
        .willReturn(cancelled(9001, "e2e:chrome", "test", ago(Duration.ofDays(3)))));

    assertThat(client().cancel(PROJECT, 9001).status()).isEqualTo("canceled");
    gitlab.verify(2, postRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs/9001/cancel")));
  }

  @Test
  void aForbiddenCancelIsNotRetried() {
    gitlab.stubFor(cancelRequest("4711", 9001).willReturn(GitLabFixtures.forbidden()));

    assertThatThrownBy(() -> client().cancel(PROJECT, 9001))
        .isInstanceOf(ApiException.class)
        .hasMessage("GitLab answered 403 (403 Forbidden) to cancelling job 9001 of project 4711 "
            + "(POST /api/v4/projects/4711/jobs/9001/cancel)");
    gitlab.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void aRejectedTokenIsAConfigurationErrorNamingTheVariables() {
    gitlab.stubFor(listPage("4711", 1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"401 Unauthorized\"}")));

    assertThatThrownBy(() -> client().jobs(PROJECT, UNFINISHED))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OBSERVES_GITLAB_TOKEN").hasMessageContaining("GITLAB_TOKEN").hasMessageNotContaining(TOKEN);
  }

  @Test
  void settingsComeFromTheEnvironment() {
    assertThatThrownBy(() -> GitLabApi.settings(new Environment(Map.of()), TestRetries.FAST, "api"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_GITLAB_TOKEN (or GITLAB_TOKEN)");
    assertThatThrownBy(() -> GitLabApi.settings(new Environment(Map.of("GITLAB_TOKEN", TOKEN, "OBSERVES_GITLAB_URL", "gitlab.com")),
        TestRetries.FAST, "api")).isInstanceOf(ConfigException.class).hasMessageContaining("OBSERVES_GITLAB_URL");
    assertThat(GitLabApi.settings(new Environment(Map.of("GITLAB_TOKEN", TOKEN)), TestRetries.FAST, "api").baseUrl())
        .hasToString(GitLabApi.DEFAULT_URL);
    assertThat(GitLabApi.settings(new Environment(Map.of("GITLAB_TOKEN", TOKEN, "OBSERVES_GITLAB_URL", "http://h:1/api/v4/")),
        TestRetries.FAST, "api").toString()).doesNotContain(TOKEN);
  }
}
