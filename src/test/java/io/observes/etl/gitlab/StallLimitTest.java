package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.MutableClock;
import io.observes.testing.TestRetries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stall limit ({@code OBSERVES_STALL_SECONDS}): a run whose source stops answering is failed
 * once no progress (a record or a request) was reported for longer than the limit, instead of
 * beating forever; a slow run that keeps reporting progress is left alone. The run is a command of
 * the jar on a thread of this JVM; the clock it reads is moved by the test.
 */
class StallLimitTest extends ApiEtlStandIns {
  static final long PROJECT = 4711;
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  WireMockServer gitlab;
  FakeGitLab fake;
  MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(10)));
  ExecutorService pool = Executors.newCachedThreadPool();
  CountDownLatch hang = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    fake = new FakeGitLab();
    fake.project(PROJECT, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
    reset("gitlab-ci", "gitlab_ci_issues");
    for (int i = 0; i < 250; i++) {
      fake.mergeRequest(PROJECT, 1000 + i, "merged", T0.plus(Duration.ofMinutes(i)));
    }
  }

  @AfterEach
  void stop() {
    hang.countDown();
    pool.shutdownNow();
    gitlab.stop();
  }

  Future<Integer> start(StringWriter err) {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API);
    env.put("OBSERVES_GITLAB_TOKEN", "glpat-stall-test-token");
    env.put("OBSERVES_GITLAB_PROJECTS", "observes/etl");
    env.put("OBSERVES_HEARTBEAT_SECONDS", "1");
    env.put("OBSERVES_STALL_SECONDS", "120");
    return pool.submit(() -> {
      var cli = Main.commandLine(new Environment(env), clock, TestRetries.FAST);
      cli.setOut(new PrintWriter(new StringWriter()));
      cli.setErr(new PrintWriter(err, true));
      return cli.execute("etl", "gitlab");
    });
  }

  /**
   * Moves the clock {@code step} at a time (polling, at most 60 s of real time) until the run ends;
   * its exit code.
   */
  Integer advanceUntilDone(Future<Integer> run, Duration step) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      clock.advance(step);
      try {
        return run.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        // the next step
      }
    }
    throw new AssertionError("the run did not end within 60 s of real time, the clock at " + clock.instant());
  }

  @Test
  void aRunWhoseSourceStopsAnsweringFailsAfterTheStallLimitAndFreesItsLease() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    fake.beforeEachList(url -> {
      if (url.contains("page=2")) {
        inside.countDown();
        try {
          hang.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    StringWriter err = new StringWriter();
    Future<Integer> run = start(err);
    assertThat(inside.await(60, TimeUnit.SECONDS)).as("the run read its first page").isTrue();

    Integer code = advanceUntilDone(run, Duration.ofSeconds(30));

    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(err.toString()).contains("no progress for 120 s");
    assertThat(pg.rows("SELECT phase, status, error FROM observes_meta.runs WHERE job = 'gitlab'"))
        .extracting(r -> r.get("phase") + " " + r.get("status")).containsExactlyInAnyOrder("run FAILED", "stage FAILED");
    assertThat(pg.rows("SELECT error FROM observes_meta.runs WHERE job = 'gitlab' AND phase = 'stage'").get(0).get("error"))
        .startsWith("stage segment 0 of run").contains("no progress for 120 s (the limit, OBSERVES_STALL_SECONDS)");
    assertThat(s3.store().read(new S3Uri("state", "gitlab/run.lease"))).as("the lease, released").isEmpty();
    assertThat(s3.store().read(new S3Uri("state", "gitlab/state.json"))).isEmpty();
  }

  @Test
  void aSlowRunThatKeepsReportingProgressIsNotStopped() throws Exception {
    // Each request takes 100 s by the run's clock: 3 pages of merge requests, 300 s in all, each under the limit.
    fake.beforeEachList(url -> clock.advance(Duration.ofSeconds(100)));
    StringWriter err = new StringWriter();

    Integer code = start(err).get(120, TimeUnit.SECONDS);

    assertThat(code).as(err.toString()).isZero();
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(250);
    assertThat(clock.instant()).isAfter(T0.plus(Duration.ofDays(10)).plusSeconds(300));
  }

  @Test
  void aStallLimitBelowAMinuteIsAConfigurationError() throws Exception {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API);
    env.put("OBSERVES_GITLAB_TOKEN", "glpat-stall-test-token");
    env.put("OBSERVES_STALL_SECONDS", "10");

    var r = io.observes.testing.CliRun.run(env, clock, "etl", "gitlab", "--project", "observes/etl");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("OBSERVES_STALL_SECONDS must be at least 60", "was 10");
    assertThat(fake.served).isEmpty();
  }
}
