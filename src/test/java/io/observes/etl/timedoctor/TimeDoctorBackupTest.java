package io.observes.etl.timedoctor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code observes etl timedoctor backup} never loses the only copy of a month: it holds the
 * timedoctor run lease (a second backup, or a load, is refused naming the holder), it does not
 * replace a month's backup with fewer records unless {@code --replace}, and it deletes the files of
 * the backup it replaces only once the manifest names its own run. Backups run as commands of the
 * jar, on threads of this JVM where two must overlap.
 */
class TimeDoctorBackupTest extends ApiEtlStandIns {
  static final String EMAIL = "backup@example.com";
  static final String PASSWORD = "b4ckup-Pa55word!";
  static final String MONTH = "backup_timedoctor/2026-10/";
  WireMockServer timedoctor;
  FakeTimeDoctor fake;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-01T04:00:00Z"));
  ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    reset("timedoctor");
    fake = new FakeTimeDoctor(EMAIL, PASSWORD);
    timedoctor = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    timedoctor.start();
    timedoctor.stubFor(any(urlPathMatching(FakeTimeDoctor.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeTimeDoctor.NAME)));
    fake.user("u-ana", "Ana Ruiz");
    fake.user("u-bob", "Bob Li");
    fake.worklog("u-ana", Instant.parse("2026-10-03T09:00:00Z"), 3600, "1", "1");
    fake.worklog("u-bob", Instant.parse("2026-10-15T13:30:00Z"), 1800, "2", "1");
    fake.worklog("u-ana", Instant.parse("2026-10-20T08:00:00Z"), 900, "3", "2");
    for (int i = 0; i < 5; i++) {
      fake.screenshot("u-bob", Instant.parse("2026-10-15T13:30:00Z").plusSeconds(60L * i));
    }
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    timedoctor.stop();
  }

  Map<String, String> env(String batchJob) {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_TIMEDOCTOR_URL", "http://127.0.0.1:" + timedoctor.port() + FakeTimeDoctor.API);
    env.put("OBSERVES_TIMEDOCTOR_EMAIL", EMAIL);
    env.put("OBSERVES_TIMEDOCTOR_PASSWORD", PASSWORD);
    env.put("AWS_BATCH_JOB_ID", batchJob);
    // Not what these tests are about: a backup held in its read is not stopped for stalling.
    env.put("OBSERVES_STALL_SECONDS", "86400");
    return env;
  }

  CliRun.Result backup(String batchJob, String... flags) {
    String[] args = new String[flags.length + 3];
    args[0] = "etl";
    args[1] = "timedoctor";
    args[2] = "backup";
    System.arraycopy(flags, 0, args, 3, flags.length);
    return CliRun.run(env(batchJob), clock, args);
  }

  /** A backup of October on its own thread; its exit code, what it printed on stderr. */
  record Started(Future<Integer> exit, StringWriter err) {}

  Started startBackup(String batchJob) {
    StringWriter err = new StringWriter();
    Map<String, String> env = env(batchJob);
    Future<Integer> exit = pool.submit(() -> {
      var cli = Main.commandLine(new Environment(env), clock, TestRetries.FAST);
      cli.setOut(new PrintWriter(new StringWriter()));
      cli.setErr(new PrintWriter(err, true));
      return cli.execute("etl", "timedoctor", "backup", "--month", "2026-10");
    });
    return new Started(exit, err);
  }

  /** Holds the first request to {@code marker} until {@code release}. */
  static Consumer<String> holdOnce(String marker, CountDownLatch inside, CountDownLatch release) {
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

  List<String> keys() {
    return s3.store().list(new S3Uri("data", MONTH)).stream().map(S3Uri::key).sorted().toList();
  }

  JsonNode manifest() throws Exception {
    return new ObjectMapper().readTree(s3.store().read(new S3Uri("data", MONTH + "manifest.json")).orElseThrow());
  }

  /** The manifest names its run and exactly the files there are, and they hold what it says. */
  void assertWhole(String run, long worklogs, long activity) throws Exception {
    JsonNode manifest = manifest();
    assertThat(manifest.path("run").asText()).isEqualTo(run);
    assertThat(manifest.path("streams").path("worklogs").path("rows").asLong()).isEqualTo(worklogs);
    assertThat(manifest.path("streams").path("computer_activity").path("rows").asLong()).isEqualTo(activity);
    assertThat(keys()).containsExactlyInAnyOrder(MONTH + "manifest.json",
        manifest.path("streams").path("worklogs").path("key").asText(),
        manifest.path("streams").path("computer_activity").path("key").asText());
  }

  @Test
  void aSecondBackupWhileOneRunsIsRefusedNamingItAndTheFirstKeepsTheMonthWhole() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.beforeEach(holdOnce("/activity/worklog", inside, release));
    Started first = startBackup("backup-1");
    CliRun.Result second;
    try {
      assertThat(inside.await(60, TimeUnit.SECONDS)).as("the first backup is reading October").isTrue();

      second = backup("backup-2", "--month", "2026-10");
    } finally {
      release.countDown();
    }

    assertThat(second.code()).as(second.all()).isEqualTo(1);
    assertThat(second.err()).contains("s3://state/timedoctor/run.lease is held by run batch-job-backup-1");
    assertThat(first.exit().get(120, TimeUnit.SECONDS)).as(first.err().toString()).isZero();
    assertWhole(manifest().path("run").asText(), 3, 5);
    assertThat(s3.store().read(new S3Uri("state", "timedoctor/run.lease"))).as("released").isEmpty();
  }

  @Test
  void aRerunThatReadsFewerRecordsKeepsTheBackupUnlessTold() throws Exception {
    assertThat(backup("backup-1").code()).isZero();
    String kept = manifest().path("run").asText();
    byte[] manifest = s3.store().read(new S3Uri("data", MONTH + "manifest.json")).orElseThrow();
    List<String> files = keys();
    fake.forgetActivity();
    clock.advance(Duration.ofDays(200));

    CliRun.Result rerun = backup("backup-2", "--month", "2026-10");

    assertThat(rerun.code()).as(rerun.all()).isEqualTo(1);
    assertThat(s3.store().read(new S3Uri("data", MONTH + "manifest.json")).orElseThrow()).isEqualTo(manifest);
    assertThat(keys()).isEqualTo(files);
    assertThat(rerun.err()).contains("would lose 3 worklogs and 5 computer_activity records",
        "observes etl timedoctor backup --month 2026-10 --replace");
    assertWhole(kept, 3, 5);

    CliRun.Result replaced = backup("backup-3", "--month", "2026-10", "--replace");

    assertThat(replaced.code()).as(replaced.all()).isZero();
    assertThat(manifest().path("run").asText()).isNotEqualTo(kept);
    assertWhole(manifest().path("run").asText(), 0, 0);
  }

  @Test
  void aRerunThatLosesOneStreamIsRefusedAndOneThatGrowsReplaces() throws Exception {
    assertThat(backup("backup-1").code()).isZero();
    synchronized (fake) {
      fake.screenshots.clear();
    }
    fake.worklog("u-bob", Instant.parse("2026-10-28T10:00:00Z"), 600, "2", "1");

    CliRun.Result fewer = backup("backup-2", "--month", "2026-10");

    assertThat(fewer.code()).as(fewer.all()).isEqualTo(1);
    assertThat(fewer.err()).contains("would lose 5 computer_activity records").doesNotContain("lose 4 worklogs");
    assertWhole(manifest().path("run").asText(), 3, 5);

    fake.screenshot("u-ana", Instant.parse("2026-10-29T10:00:00Z"));
    for (int i = 0; i < 5; i++) {
      fake.screenshot("u-bob", Instant.parse("2026-10-15T13:30:00Z").plusSeconds(60L * i));
    }
    CliRun.Result more = backup("backup-3", "--month", "2026-10");

    assertThat(more.code()).as(more.all()).isZero();
    assertWhole(manifest().path("run").asText(), 4, 6);
  }

  @Test
  void aBackupThatLostItsLeaseWhileStalledLeavesTheNewerBackupWhole() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.beforeEach(holdOnce("/files/screenshot", inside, release));
    Started stalled = startBackup("backup-1");
    String newer;
    try {
      assertThat(inside.await(60, TimeUnit.SECONDS)).as("the first backup is reading October").isTrue();
      clock.advance(Duration.ofHours(7));
      CliRun.Result taker = backup("backup-2", "--month", "2026-10");
      assertThat(taker.code()).as(taker.all()).isZero();
      newer = manifest().path("run").asText();
    } finally {
      release.countDown();
    }

    Integer code = stalled.exit().get(120, TimeUnit.SECONDS);

    assertWhole(newer, 3, 5);
    assertThat(code).as(stalled.err().toString()).isEqualTo(1);
    assertThat(stalled.err().toString()).contains("lost the run lease s3://state/timedoctor/run.lease");
  }
}
