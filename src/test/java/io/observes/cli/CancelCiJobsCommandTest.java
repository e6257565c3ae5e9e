package io.observes.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.observes.jobs.gitlab.GitLabFixtures.API;
import static io.observes.jobs.gitlab.GitLabFixtures.TOKEN;
import static io.observes.jobs.gitlab.GitLabFixtures.ago;
import static io.observes.jobs.gitlab.GitLabFixtures.cancelRequest;
import static io.observes.jobs.gitlab.GitLabFixtures.cancelled;
import static io.observes.jobs.gitlab.GitLabFixtures.forbidden;
import static io.observes.jobs.gitlab.GitLabFixtures.job;
import static io.observes.jobs.gitlab.GitLabFixtures.listPage;
import static io.observes.jobs.gitlab.GitLabFixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.jobs.gitlab.GitLabFixtures;
import io.observes.testing.CliRun;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cancel-ci-jobs} end to end against WireMock as GitLab, at a fixed "now" (2026-03-04T12:00Z),
 * with retries waiting milliseconds.
 */
class CancelCiJobsCommandTest {
  static final Duration DAY = Duration.ofDays(1);

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

  static CliRun.Result run(Map<String, String> env, String... args) {
    String[] job = new String[args.length + 1];
    job[0] = "job";
    System.arraycopy(args, 0, job, 1, args.length);
    return CliRun.run(env, GitLabFixtures.CLOCK, job);
  }

  CliRun.Result run(String... args) {
    return run(Map.of("OBSERVES_GITLAB_URL", baseUrl() + API, "OBSERVES_GITLAB_TOKEN", TOKEN), args);
  }

  /**
   * Two pages of unfinished jobs: 9104 (1 h) and 9103 (exactly 8 h) are young; 9102 (9.5 h), 9050
   * (26 h) and 9001 (3 days) are stuck.
   */
  void twoPagesOfJobs() {
    gitlab.stubFor(listPage("4711", 1).willReturn(page(baseUrl(), "4711", 1, 2,
        job(9104, "rspec 3/4", "test", "running", ago(Duration.ofHours(1))),
        job(9103, "build:image", "build", "pending", ago(Duration.ofHours(8))),
        job(9102, "deploy:staging", "deploy", "created", ago(Duration.ofMinutes(570))))));
    gitlab.stubFor(listPage("4711", 2).willReturn(page(baseUrl(), "4711", 2, 2,
        job(9050, "lint", "test", "pending", ago(Duration.ofHours(26))),
        job(9001, "e2e:chrome", "test", "running", ago(Duration.ofDays(3))))));
  }

  void cancelsSucceed(long... ids) {
    for (long id : ids) {
      gitlab.stubFor(cancelRequest("4711", id).willReturn(cancelled(id, "job-" + id, "test", ago(DAY))));
    }
  }

  static String cancelPath(long id) {
    return API + "/projects/4711/jobs/" + id + "/cancel";
  }

  @Test
  void cancelsOnlyTheJobsOlderThanTheThresholdAcrossBothPages() {
    twoPagesOfJobs();
    cancelsSucceed(9102, 9050, 9001);

    CliRun.Result r = run("cancel-ci-jobs", "--project", "4711");

    assertThat(r.code()).as(r.err()).isZero();
    gitlab.verify(2, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
    for (long id : new long[] {9102, 9050, 9001}) {
      gitlab.verify(1, postRequestedFor(urlPathEqualTo(cancelPath(id))).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
    }
    gitlab.verify(0, postRequestedFor(urlPathEqualTo(cancelPath(9104))));
    gitlab.verify(0, postRequestedFor(urlPathEqualTo(cancelPath(9103))));
    gitlab.verify(3, postRequestedFor(urlPathMatching(".*/cancel")));
    assertThat(r.out()).contains("JOB", "NAME", "STATUS", "AGE (h)", "ACTION")
        .containsPattern("9001 +e2e:chrome +running +72\\.0  CANCELLED")
        .containsPattern("9050 +lint +pending +26\\.0  CANCELLED")
        .containsPattern("9102 +deploy:staging +created +9\\.5  CANCELLED")
        .doesNotContain("9104", "9103")
        .contains("Cancelled 3 of 3 stuck job(s) (created more than 8 h ago) in project 4711; 0 failed; 5 unfinished job(s) checked.");
    assertThat(r.out().indexOf("9001")).isLessThan(r.out().indexOf("9050")); // oldest first
    gitlab.verify(2, getRequestedFor(anyUrl()));
  }

  @Test
  void theThresholdIsConfigurable() {
    twoPagesOfJobs();
    cancelsSucceed(9001);

    CliRun.Result r = run("cancel-ci-jobs", "--project", "4711", "--threshold-hours", "48");

    assertThat(r.code()).as(r.err()).isZero();
    gitlab.verify(1, postRequestedFor(urlPathMatching(".*/cancel")));
    gitlab.verify(1, postRequestedFor(urlPathEqualTo(cancelPath(9001))));
    assertThat(r.out()).contains("Cancelled 1 of 1 stuck job(s) (created more than 48 h ago)");
  }

  @Test
  void aDryRunCancelsNothing() {
    twoPagesOfJobs();

    CliRun.Result r = run("cancel-ci-jobs", "--project", "4711", "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    gitlab.verify(0, postRequestedFor(anyUrl()));
    gitlab.verify(2, getRequestedFor(urlPathEqualTo(API + "/projects/4711/jobs")));
    assertThat(r.out()).containsPattern("9001 +e2e:chrome +running +72\\.0  WOULD CANCEL")
        .containsPattern("9102 +deploy:staging +created +9\\.5  WOULD CANCEL")
        .contains("Dry run: would cancel 3 of 5 unfinished job(s) in project 4711 created more than 8 h ago; cancelled nothing.")
        .doesNotContain("CANCELLED");
  }

  @Test
  void aForbiddenCancelFailsTheRunAndNamesTheJobWhileTheOthersAreStillCancelled() {
    twoPagesOfJobs();
    cancelsSucceed(9102, 9001);
    gitlab.stubFor(cancelRequest("4711", 9050).willReturn(forbidden()));

    CliRun.Result r = run("cancel-ci-jobs", "--project", "4711");

    assertThat(r.code()).isEqualTo(1);
    gitlab.verify(1, postRequestedFor(urlPathEqualTo(cancelPath(9001))));
    gitlab.verify(1, postRequestedFor(urlPathEqualTo(cancelPath(9050))));
    gitlab.verify(1, postRequestedFor(urlPathEqualTo(cancelPath(9102))));
    assertThat(r.out()).containsPattern("9050 +lint +pending +26\\.0  FAILED: GitLab answered 403 \\(403 Forbidden\\)")
        .containsPattern("9001 .* CANCELLED").containsPattern("9102 .* CANCELLED")
        .contains("Cancelled 2 of 3 stuck job(s)", "1 failed");
    assertThat(r.err()).contains("observes: cancelling job 9050 (lint) failed: GitLab answered 403 (403 Forbidden)",
        "1 of 3 stuck job(s) were not cancelled: [9050 lint]");
    gitlab.verify(5, anyRequestedFor(anyUrl())); // 2 pages, 3 cancels: a 403 is not retried
  }

  @Test
  void aMissingTokenIsAConfigurationErrorThatNamesTheVariable() {
    CliRun.Result r = run(Map.of("OBSERVES_GITLAB_URL", baseUrl() + API), "cancel-ci-jobs", "--project", "4711");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("observes: configuration error:", "OBSERVES_GITLAB_TOKEN", "GITLAB_TOKEN");
    gitlab.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void theThresholdMustBePositiveAndTheProjectGiven() {
    assertThat(run("cancel-ci-jobs", "--project", "4711", "--threshold-hours", "0").code()).isEqualTo(2);
    assertThat(run("cancel-ci-jobs", "--project", "4711", "--threshold-hours", "-3").code()).isEqualTo(2);
    assertThat(run("cancel-ci-jobs").code()).isEqualTo(2);
    assertThat(run("cancel-ci-jobs", "--project", " ").code()).isEqualTo(2);
    gitlab.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void theTokenNeverAppearsInOutputErrorsOrLogs() {
    // The fallback variable, a failed cancel, retried server errors and GitLab echoing the token back.
    Map<String, String> env = Map.of("OBSERVES_GITLAB_URL", baseUrl() + API, "GITLAB_TOKEN", TOKEN);
    twoPagesOfJobs();
    cancelsSucceed(9102);
    gitlab.stubFor(cancelRequest("4711", 9050).willReturn(forbidden()));
    gitlab.stubFor(cancelRequest("4711", 9001).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/plain")
        .withBody("Internal Server Error while handling PRIVATE-TOKEN: " + TOKEN)));

    CliRun.Result r = run(env, "cancel-ci-jobs", "--project", "4711", "--threshold-hours", "8");

    assertThat(r.code()).isEqualTo(1);
    gitlab.verify(5, postRequestedFor(urlPathEqualTo(cancelPath(9001))).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
    assertThat(r.err()).contains("9001 (e2e:chrome) failed: GitLab answered 500", "9050 (lint) failed")
        .contains("PRIVATE-TOKEN: <redacted>");
    assertThat(r.logs()).contains("GitLab answered 500 to cancelling job 9001");
    assertThat(r.out() + r.err() + r.logs()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(6));

    CliRun.Result listingFails = run(Map.of("OBSERVES_GITLAB_URL", baseUrl() + API + "/nowhere", "OBSERVES_GITLAB_TOKEN", TOKEN),
        "cancel-ci-jobs", "--project", "4711");
    assertThat(listingFails.code()).isEqualTo(1);
    assertThat(listingFails.err()).contains("observes: failed: GitLab answered 404");
    assertThat(listingFails.out() + listingFails.err() + listingFails.logs()).doesNotContain(TOKEN);
  }

  @Test
  void noStuckJobsIsSaidSo() {
    gitlab.stubFor(listPage("4711", 1).willReturn(page(baseUrl(), "4711", 1, 1,
        job(9104, "rspec 3/4", "test", "running", ago(Duration.ofHours(1))))));

    CliRun.Result r = run("cancel-ci-jobs", "--project", "4711");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("No stuck jobs in project 4711: 1 unfinished job(s), none created more than 8 h ago.");
    gitlab.verify(0, postRequestedFor(anyUrl()));
  }
}
