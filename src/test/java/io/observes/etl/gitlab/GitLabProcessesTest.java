package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.JobProcess;
import io.observes.testing.MutableClock;
import io.observes.warehouse.RunQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gitlab ETL as AWS Batch runs it, each attempt its own JVM: an attempt killed in the middle of
 * its walk (its run reads as LOST once its heartbeat stops), and the retry of the same Batch job, which takes the dead attempt's lease over at once
 * and loads everything exactly once; a later job runs as usual after it.
 */
class GitLabProcessesTest extends ApiEtlStandIns {
  static WireMockServer gitlab;
  static FakeGitLab fake;

  @BeforeAll
  static void start() throws Exception {
    fake = new FakeGitLab();
    fake.project(4711, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
  }

  @AfterAll
  static void stop() {
    gitlab.stop();
  }

  Map<String, String> env(String batchJob) {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API);
    env.put("OBSERVES_GITLAB_TOKEN", "glpat-processes-test-token");
    env.put("OBSERVES_GITLAB_PROJECTS", "observes/etl");
    env.put("AWS_BATCH_JOB_ID", batchJob);
    env.put("OBSERVES_HEARTBEAT_SECONDS", "1");
    return env;
  }

  Process start(Map<String, String> env, String name) throws Exception {
    return JobProcess.in(work).cli(name, env, "etl", "gitlab");
  }

  int await(Process process, String name) throws Exception {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished within 120 s", name).isTrue();
    return process.exitValue();
  }

  String err(String name) throws Exception {
    return Files.readString(work.resolve(name + ".err"), StandardCharsets.UTF_8);
  }

  /** Polls (bounded) until the running attempt has written a heartbeat after its start. */
  void awaitHeartbeat() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count("SELECT COUNT(*) FROM observes_meta.runs WHERE job = 'gitlab' AND heartbeat_at > started_at") == 0) {
      assertThat(System.nanoTime()).as("a heartbeat within 30 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  JsonNode runs(Instant at) throws Exception {
    CliRun.Result r = CliRun.run(standInEnvironment(), new MutableClock(at), "runs", "--job", "gitlab", "--json");
    assertThat(r.code()).as(r.all()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void aRetryOfAKilledAttemptTakesItsLeaseOverAndLoadsEverythingOnce() throws Exception {
    Instant t0 = Instant.now().minus(Duration.ofDays(2));
    for (int i = 0; i < 120; i++) {
      fake.mergeRequest(4711, 1000 + i, "merged", t0.plusSeconds(60L * i));
      fake.pipeline(4711, 5000 + i, t0.plusSeconds(60L * i), 90_000 + 2L * i, "build", "test");
    }
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.beforeEachList(() -> {
      // The second page of merged merge requests: the attempt has read and staged a page by now.
      if (fake.served.get(fake.served.size() - 1).contains("page=2")) {
        inside.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    Process first = start(env("job-1"), "attempt-1");
    try {
      assertThat(inside.await(90, TimeUnit.SECONDS)).as("attempt 1 reached page 2").isTrue();
      awaitHeartbeat();
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      fake.beforeEachList(() -> { });
      release.countDown();
    }
    assertThat(s3.store().read(new S3Uri("state", "gitlab/run.lease"))).as("the killed attempt's lease").isPresent();
    Instant lastBeat = Instant.parse(pg.rows("SELECT TO_CHAR(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
        + "AS beat FROM observes_meta.runs WHERE job = 'gitlab'").get(0).get("beat"));
    assertThat(runs(lastBeat.plus(Duration.ofMinutes(2))).get(0).path("status").asText()).as("beating until killed")
        .isEqualTo("RUNNING");
    JsonNode lost = runs(lastBeat.plus(RunQuery.LOST_AFTER).plusSeconds(1)).get(0);
    assertThat(lost.path("status").asText()).as("no heartbeat for longer than %s", RunQuery.LOST_AFTER).isEqualTo("LOST");
    assertThat(lost.path("batch_job_id").asText()).isEqualTo("job-1");
    assertThat(lost.path("host").asText()).isNotBlank();

    Process another = start(env("job-2"), "other-job");
    assertThat(await(another, "other-job")).as(err("other-job")).isEqualTo(1);
    assertThat(err("other-job")).contains("is held by run batch-job-job-1");

    Process retry = start(env("job-1"), "attempt-2");
    assertThat(await(retry, "attempt-2")).as(err("attempt-2")).isZero();
    assertThat(err("attempt-2")).as("the job, run and phase in its log lines").containsPattern("\\w \\[gitlab \\S+ run\\] - ");

    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(120);
    assertThat(count("SELECT COUNT(DISTINCT id) FROM \"gitlab-ci\".merge_requests")).isEqualTo(120);
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".jobs")).isEqualTo(240);
    assertThat(count("SELECT COUNT(DISTINCT job_id) FROM \"gitlab-ci\".jobs")).isEqualTo(240);
    assertThat(s3.store().read(new S3Uri("state", "gitlab/state.json"))).isPresent();
    assertThat(s3.store().read(new S3Uri("state", "gitlab/run.lease"))).as("released").isEmpty();
    assertThat(pg.rows("SELECT status FROM observes_meta.runs WHERE job = 'gitlab' AND phase = 'run' ORDER BY started_at"))
        .extracting(r -> r.get("status")).containsExactly("RUNNING", "SUCCEEDED");

    Process later = start(env("job-3"), "later-job");
    assertThat(await(later, "later-job")).as(err("later-job")).isZero();
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".jobs")).isEqualTo(240);
  }
}
