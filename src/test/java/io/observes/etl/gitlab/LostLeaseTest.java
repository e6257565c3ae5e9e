package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run that stalls past its run lease (its process frozen, or slow but moving, so no stall limit
 * ends it) while a newer run takes the lease over: the stalled run, when it resumes, publishes
 * nothing and names the lease's holder; the warehouse and the state keep the newer run's rows.
 * Both runs are commands of the jar on threads of this JVM, sharing a clock the test moves past the
 * lease (6 hours).
 */
class LostLeaseTest extends ApiEtlStandIns {
  static final long PROJECT = 4711;
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  WireMockServer gitlab;
  FakeGitLab fake;
  MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(10)));
  ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    fake = new FakeGitLab();
    fake.project(PROJECT, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
    reset("gitlab-ci", "gitlab_ci_issues");
    for (int i = 0; i < 120; i++) {
      fake.mergeRequest(PROJECT, 1000 + i, "merged", T0.plus(Duration.ofMinutes(i)));
    }
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    gitlab.stop();
  }

  Map<String, String> env(String batchJob) {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API);
    env.put("OBSERVES_GITLAB_TOKEN", "glpat-lost-lease-test-token");
    env.put("OBSERVES_GITLAB_PROJECTS", "observes/etl");
    env.put("AWS_BATCH_JOB_ID", batchJob);
    // The stall limit does not end these runs: they stand for a process frozen whole, or slow but moving.
    env.put("OBSERVES_STALL_SECONDS", "86400");
    return env;
  }

  /** A run of the gitlab ETL on its own thread; its exit code and what it printed on stderr. */
  record Run(Future<Integer> exit, StringWriter err) {
    int code() throws Exception {
      return exit.get(120, TimeUnit.SECONDS);
    }
  }

  Run startRun(String batchJob) {
    StringWriter err = new StringWriter();
    Map<String, String> env = env(batchJob);
    Future<Integer> exit = pool.submit(() -> {
      var cli = Main.commandLine(new Environment(env), clock, TestRetries.FAST);
      cli.setOut(new PrintWriter(new StringWriter()));
      cli.setErr(new PrintWriter(err, true));
      return cli.execute("etl", "gitlab");
    });
    return new Run(exit, err);
  }

  /** Holds the first list request whose URL contains {@code marker} until {@code release}; other requests pass. */
  static java.util.function.Consumer<String> holdOnce(String marker, CountDownLatch inside, CountDownLatch release) {
    AtomicBoolean held = new AtomicBoolean();
    return url -> {
      if (url.contains(marker) && held.compareAndSet(false, true)) {
        inside.countDown();
        try {
          release.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  String updatedAt(long id) throws Exception {
    return pg.rows("SELECT TO_CHAR(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at "
        + "FROM \"gitlab-ci\".merge_requests WHERE id = " + id).get(0).get("at");
  }

  String stateRun() throws Exception {
    return new ObjectMapper().readTree(s3.store().read(new S3Uri("state", "gitlab/state.json")).orElseThrow())
        .path("run").asText();
  }

  @Test
  void aRunThatLostItsLeaseWhileStalledPublishesNothingOverTheNewerRunsRows() throws Exception {
    CountDownLatch aInside = new CountDownLatch(1);
    CountDownLatch aRelease = new CountDownLatch(1);
    fake.beforeEachList(holdOnce("page=2", aInside, aRelease));
    Run a = startRun("job-a");
    try {
      assertThat(aInside.await(90, TimeUnit.SECONDS)).as("run A read its first page of merge requests").isTrue();
      // Merge request 1000 changes after A read it; A holds its older version.
      fake.mergeRequest(PROJECT, 1000, "merged", T0.plus(Duration.ofMinutes(200)));
      clock.advance(Duration.ofHours(7));

      CliRun.Result b = CliRun.run(env("job-b"), clock, "etl", "gitlab");

      assertThat(b.code()).as(b.all()).isZero();
      assertThat(b.logs()).contains("took over the lease of batch-job-job-a");
      assertThat(updatedAt(1000)).isEqualTo("2026-03-01T03:20:00Z");
    } finally {
      aRelease.countDown();
    }
    String runB = stateRun();
    byte[] stateAfterB = s3.store().read(new S3Uri("state", "gitlab/state.json")).orElseThrow();

    int exitA = a.code();

    assertThat(updatedAt(1000)).as("B's version of merge request 1000").isEqualTo("2026-03-01T03:20:00Z");
    assertThat(exitA).as(a.err().toString()).isEqualTo(1);
    assertThat(a.err().toString()).contains("lost the run lease s3://state/gitlab/run.lease", "publishes nothing");
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(120);
    assertThat(s3.store().read(new S3Uri("state", "gitlab/state.json")).orElseThrow()).isEqualTo(stateAfterB);
    assertThat(pg.rows("SELECT run_id FROM \"gitlab-ci\"._observes_run")).extracting(r -> r.get("run_id"))
        .containsExactly(runB);
  }

  @Test
  void aRunThatLostItsLeaseToARunStillWorkingNamesItAndLeavesItToPublish() throws Exception {
    CountDownLatch aInside = new CountDownLatch(1);
    CountDownLatch aRelease = new CountDownLatch(1);
    fake.beforeEachList(holdOnce("page=2", aInside, aRelease));
    Run a = startRun("job-a");
    Run b;
    CountDownLatch bInside = new CountDownLatch(1);
    CountDownLatch bRelease = new CountDownLatch(1);
    try {
      assertThat(aInside.await(90, TimeUnit.SECONDS)).as("run A read its first page of merge requests").isTrue();
      fake.mergeRequest(PROJECT, 1000, "merged", T0.plus(Duration.ofMinutes(200)));
      clock.advance(Duration.ofHours(7));
      // B takes the lease over and is held at its first list request, inside its walk.
      fake.beforeEachList(holdOnce("merge_requests", bInside, bRelease));
      b = startRun("job-b");
      assertThat(bInside.await(90, TimeUnit.SECONDS)).as("run B took the lease and reached GitLab").isTrue();
    } finally {
      aRelease.countDown();
    }
    try {
      int exitA = a.code();

      assertThat(pg.rows("SELECT 1 FROM pg_namespace WHERE nspname = 'gitlab-ci'")).as("A published nothing").isEmpty();
      assertThat(exitA).as(a.err().toString()).isEqualTo(1);
      assertThat(a.err().toString()).contains("lost the run lease", "held by run batch-job-job-b", "publishes nothing");
    } finally {
      bRelease.countDown();
    }
    assertThat(b.code()).as(b.err().toString()).isZero();
    assertThat(updatedAt(1000)).isEqualTo("2026-03-01T03:20:00Z");
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(120);
  }

  @Test
  void aTargetPublishedBeforeLeaseTokensGainsTheColumnAtItsNextMerge() throws Exception {
    assertThat(CliRun.run(env("job-1"), clock, "etl", "gitlab").code()).isZero();
    // As a version of Observes from before run leases were recorded left it.
    pg.execute("ALTER TABLE \"gitlab-ci\"._observes_run DROP COLUMN lease_token");
    clock.advance(Duration.ofHours(1));
    fake.mergeRequest(PROJECT, 2000, "merged", clock.instant().minus(Duration.ofMinutes(30)));

    CliRun.Result next = CliRun.run(env("job-2"), clock, "etl", "gitlab");

    assertThat(next.code()).as(next.all()).isZero();
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(121);
    assertThat(pg.rows("SELECT run_id, lease_token FROM \"gitlab-ci\"._observes_run")).singleElement()
        .satisfies(row -> {
          assertThat(row.get("run_id")).isEqualTo(stateRun());
          assertThat(row.get("lease_token")).hasSize(36);
        });
  }
}
