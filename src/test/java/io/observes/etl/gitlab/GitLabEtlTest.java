package io.observes.etl.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.state.RunLease;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.ColumnLineage;
import io.observes.testing.MutableClock;
import io.observes.testing.TestRetries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code observes etl gitlab} end to end, as AWS Batch runs it (each run its own command): WireMock
 * as GitLab (FakeGitLab: filters, order and offset pages as documented), s3proxy for staging and
 * state, embedded PostgreSQL as the warehouse. Every test starts from an empty warehouse and state.
 */
class GitLabEtlTest extends ApiEtlStandIns {
  static final String TOKEN = "glpat-Zk3vR2mN9sK4tW8yB3cQ";
  static final long PROJECT = 4711;
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PIPELINES = FakeGitLab.API + "/projects/[^/]+/pipelines";

  WireMockServer gitlab;
  FakeGitLab fake;
  MutableClock clock;
  int schemaNumber;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeGitLab();
    fake.project(PROJECT, "observes/etl");
    gitlab = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
    gitlab.start();
    gitlab.stubFor(any(urlPathMatching(FakeGitLab.API + "/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeGitLab.NAME)));
    reset("gitlab-ci", "gitlab_ci_issues");
    clock = new MutableClock(T0.plus(Duration.ofDays(10)));
  }

  @AfterEach
  void stop() {
    gitlab.stop();
  }

  Map<String, String> env() {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_GITLAB_URL", "http://127.0.0.1:" + gitlab.port() + FakeGitLab.API);
    env.put("OBSERVES_GITLAB_TOKEN", TOKEN);
    return env;
  }

  CliRun.Result gitlab(String... flags) {
    String[] args = new String[flags.length + 4];
    args[0] = "etl";
    args[1] = "gitlab";
    args[2] = "--project";
    args[3] = "observes/etl";
    System.arraycopy(flags, 0, args, 4, flags.length);
    return CliRun.run(env(), clock, args);
  }

  static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  /** {@code n} merged MRs and {@code n} pipelines of two jobs, one updated a minute after the other. */
  void history(int n) {
    for (int i = 0; i < n; i++) {
      fake.mergeRequest(PROJECT, 1000 + i, i % 3 == 0 ? "closed" : "merged", at(i));
      fake.pipeline(PROJECT, 5000 + i, at(i), 90_000 + 2L * i, "build", "test");
    }
  }

  /** Rows of a table, and distinct keys among them: equal when nothing was doubled. */
  /** A job's tags, the child table of its tag_list: each (job, position) once. */
  void assertTagsOnce(long expected) throws Exception {
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".jobs__tag_list")).as("tags").isEqualTo(expected);
    assertThat(count("SELECT COUNT(DISTINCT (_root_id, _index)) FROM \"gitlab-ci\".jobs__tag_list")).as("tags").isEqualTo(expected);
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".jobs__tag_list t LEFT JOIN \"gitlab-ci\".jobs j "
        + "ON j._observes_id = t._parent_id WHERE j._observes_id IS NULL")).as("tags without their job").isZero();
  }

  void assertLandedOnce(String table, String key, long expected) throws Exception {
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\"." + table)).as(table + " rows").isEqualTo(expected);
    assertThat(count("SELECT COUNT(DISTINCT (" + key + ")) FROM \"gitlab-ci\"." + table)).as(table + " keys").isEqualTo(expected);
  }

  Optional<JsonNode> state() throws Exception {
    Optional<byte[]> bytes = s3.store().read(new S3Uri("state", "gitlab/state.json"));
    return bytes.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(bytes.get()));
  }

  Instant coveredTo(String stream) throws Exception {
    JsonNode intervals = state().orElseThrow().path("data").path("projects").path("observes/etl").path(stream).path("intervals");
    assertThat(intervals).as(stream + " intervals").hasSize(1);
    return Instant.parse(intervals.get(0).path("to").asText());
  }

  @Test
  void aFirstRunLoadsTheWholeHistoryAcrossPagesAndRecordsTheState() throws Exception {
    history(230);
    // job_tags as an earlier release wrote it: a root table the ETL writes no more.
    pg.execute("CREATE SCHEMA \"gitlab-ci\"; CREATE TABLE \"gitlab-ci\".job_tags (project_id BIGINT, job_id BIGINT, tag TEXT); "
        + "INSERT INTO \"gitlab-ci\".job_tags VALUES (4711, 1, 'frozen')");

    CliRun.Result r = gitlab();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertLandedOnce("merge_requests", "project_id, id", 230);
    assertLandedOnce("jobs", "project_id, job_id", 460);
    assertTagsOnce(920);
    assertThat(pg.rows("SELECT 1 FROM pg_tables WHERE schemaname = 'gitlab-ci' AND tablename = 'job_tags'"))
        .as("the retired job_tags table is dropped with the publish").isEmpty();
    // Every column says where its values come from, as a reader who knows no table name would check.
    assertThat(ColumnLineage.servedBy(gitlab).violations(pg, "gitlab-ci")).isEmpty();
    assertThat(pg.rows("SELECT col_description('\"gitlab-ci\".jobs'::regclass, a.attnum) AS note FROM pg_attribute a "
        + "WHERE a.attrelid = '\"gitlab-ci\".jobs'::regclass AND a.attname IN ('job_id', 'pipe_id', 'ref_branch', 'project_id') "
        + "ORDER BY a.attname")).extracting(row -> row.get("note")).containsExactly("id", "pipeline.id",
            "derived: the id of the project whose pipelines the job was listed for", "ref");
    // The legacy jobs row: ids of pipeline, user and runner; commit sha; ref as ref_branch; every other field kept.
    assertThat(pg.rows("SELECT job_id, project_id, pipe_id, user_id, runner_id, \"commit\", ref_branch, name, duration, "
        + "web_url, allow_failure FROM \"gitlab-ci\".jobs WHERE job_id = 90001")).containsExactly(Map.ofEntries(
            Map.entry("job_id", "90001"), Map.entry("project_id", "4711"), Map.entry("pipe_id", "5000"),
            Map.entry("user_id", "7"), Map.entry("runner_id", "32"), Map.entry("commit", "a91957a858320c0e17f3a0eca7cfacbff50ea29a"),
            Map.entry("ref_branch", "trunk"), Map.entry("name", "test"), Map.entry("duration", "93.412"),
            Map.entry("web_url", "https://gitlab.example.com/observes/etl/-/jobs/90001"), Map.entry("allow_failure", "f")));
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests__labels")).isEqualTo(460);
    // 230 items in pages of 100: three pages per list, and the interval's end is now less the settling time.
    assertThat(fake.served.stream().filter(u -> u.contains("/pipelines?"))).hasSize(3);
    Instant end = clock.instant().minus(GitLabSource.SETTLE);
    assertThat(coveredTo(GitLabSource.PIPELINES)).isEqualTo(end);
    assertThat(coveredTo(GitLabSource.MERGED)).isEqualTo(end);
    assertThat(state().get().path("data").path("projects").path("observes/etl").path(GitLabSource.PIPELINES)
        .path("intervals").get(0).path("from").isNull()).isTrue();
    assertThat(pg.rows("SELECT status, state_after FROM observes_meta.runs WHERE job = 'gitlab' AND phase = 'run'"))
        .singleElement().satisfies(row -> {
          assertThat(row.get("status")).isEqualTo("SUCCEEDED");
          assertThat(row.get("state_after")).contains(end.toString());
        });
    assertThat(r.out()).contains("Published run", "merge_requests", "460 rows");
    assertThat(r.all()).doesNotContain(TOKEN);
  }

  @Test
  void aSecondRunReadsOnlyTheNewIntervalAndReplacesWhatWasUpdated() throws Exception {
    history(5);
    assertThat(gitlab().code()).isZero();
    Instant firstEnd = coveredTo(GitLabSource.PIPELINES);
    fake.served.clear();

    clock.advance(Duration.ofHours(4));
    Instant updated = firstEnd.plus(Duration.ofMinutes(30));
    fake.mergeRequest(PROJECT, 1001, "merged", updated).put("title", "Renamed after review");
    fake.retry(PROJECT, 5001, 99_999, "test", updated);
    fake.mergeRequest(PROJECT, 2000, "merged", updated);

    CliRun.Result r = gitlab();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(fake.served).allSatisfy(u -> {
      if (!u.contains("/jobs")) {
        assertThat(u).contains("updated_after=" + firstEnd.toString().replace(":", "%3A"));
      }
    });
    assertLandedOnce("merge_requests", "project_id, id", 6);
    assertThat(pg.rows("SELECT title FROM \"gitlab-ci\".merge_requests WHERE id = 1001"))
        .containsExactly(Map.of("title", "Renamed after review"));
    assertLandedOnce("jobs", "project_id, job_id", 11);
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests__labels WHERE _root_id IN "
        + "(SELECT _observes_id FROM \"gitlab-ci\".merge_requests WHERE id = 1001)")).isEqualTo(2);
    assertThat(coveredTo(GitLabSource.PIPELINES)).isEqualTo(clock.instant().minus(GitLabSource.SETTLE));
  }

  @Test
  void aMergedTableWrittenByAnEarlierReleaseGetsItsColumnsLineage() throws Exception {
    history(5);
    assertThat(gitlab().code()).isZero();
    // As the release before lineage commented them: legacy names, not paths.
    pg.execute("COMMENT ON COLUMN \"gitlab-ci\".jobs.job_id IS 'job_id'; COMMENT ON COLUMN \"gitlab-ci\".jobs.pipe_id IS 'pipe_id'; "
        + "COMMENT ON COLUMN \"gitlab-ci\".jobs.name IS NULL");
    clock.advance(Duration.ofHours(4));
    fake.mergeRequest(PROJECT, 2000, "merged", clock.instant().minus(Duration.ofHours(1)));

    CliRun.Result r = gitlab();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(pg.rows("SELECT a.attname AS col, col_description(a.attrelid, a.attnum) AS note FROM pg_attribute a "
        + "WHERE a.attrelid = '\"gitlab-ci\".jobs'::regclass AND a.attname IN ('job_id', 'pipe_id', 'name') ORDER BY 1"))
        .extracting(row -> row.get("col") + "=" + row.get("note")).containsExactly("job_id=id", "name=name", "pipe_id=pipeline.id");
  }

  @Test
  void aCrashBetweenTheCommitAndTheStateWriteLoadsNothingTwice() throws Exception {
    history(5);
    assertThat(gitlab().code()).isZero();
    StoredObject before = s3.store().readVersioned(new S3Uri("state", "gitlab/state.json")).orElseThrow();
    clock.advance(Duration.ofHours(4));
    fake.mergeRequest(PROJECT, 2000, "merged", clock.instant().minus(Duration.ofHours(1)));
    assertThat(gitlab().code()).isZero();
    // The second run committed its rows; as if it died before writing its state, the state is the first run's.
    s3.store().put(new S3Uri("state", "gitlab/state.json"), before.bytes());

    CliRun.Result rerun = gitlab();

    assertThat(rerun.code()).as(rerun.err() + rerun.logs()).isZero();
    assertLandedOnce("merge_requests", "project_id, id", 6);
    assertLandedOnce("jobs", "project_id, job_id", 10);
    assertTagsOnce(20);
  }

  @Test
  void maxPagesStopsTheRunAndTheNextResumesWithNoGapAndNoOverlap() throws Exception {
    history(250);

    CliRun.Result first = gitlab("--max-pages", "1");

    assertThat(first.code()).as(first.err() + first.logs()).isZero();
    // One page per stream: 100 of the 166 merged MRs, all 84 closed ones, 100 of the 250 pipelines (with their jobs).
    Instant reached = coveredTo(GitLabSource.MERGED);
    assertThat(reached).isEqualTo(at(149)); // the 100th merged MR: i = 0..149 less the 50 closed (i % 3 == 0)
    assertThat(coveredTo(GitLabSource.CLOSED)).isEqualTo(clock.instant().minus(GitLabSource.SETTLE));
    assertThat(coveredTo(GitLabSource.PIPELINES)).isEqualTo(at(99));
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests")).isEqualTo(184);
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".merge_requests WHERE state = 'merged' AND updated_at > '"
        + reached + "'")).isZero();
    assertLandedOnce("jobs", "project_id, job_id", 200);
    fake.served.clear();

    int runs = 1;
    while (runs < 20 && !complete()) {
      clock.advance(Duration.ofMinutes(1));
      CliRun.Result next = gitlab("--max-pages", "1");
      assertThat(next.code()).as(next.err() + next.logs()).isZero();
      runs++;
    }

    assertThat(complete()).isTrue();
    assertLandedOnce("merge_requests", "project_id, id", 250);
    assertLandedOnce("jobs", "project_id, job_id", 500);
    assertThat(fake.served.stream().filter(u -> u.contains("state=merged")).filter(u -> u.contains("updated_after=")))
        .first().asString().contains("updated_after=" + reached.toString().replace(":", "%3A"));
  }

  boolean complete() throws Exception {
    JsonNode data = state().orElseThrow().path("data").path("projects").path("observes/etl");
    return List.of(GitLabSource.MERGED, GitLabSource.CLOSED, GitLabSource.PIPELINES).stream()
        .allMatch(s -> data.path(s).path("intervals").size() == 1 && data.path(s).path("intervals").get(0).path("to").asText()
            .equals(clock.instant().minus(GitLabSource.SETTLE).toString()));
  }

  @Test
  void anObjectUpdatedDuringTheWalkShiftsThePagesAndTheIntervalIsWalkedAgain() throws Exception {
    for (int i = 0; i < 150; i++) {
      fake.mergeRequest(PROJECT, 1000 + i, "merged", at(i));
    }
    java.util.concurrent.atomic.AtomicBoolean moved = new java.util.concurrent.atomic.AtomicBoolean();
    fake.beforeEachList(() -> {
      // While page 2 is asked for, MR 1005 (page 1) is updated now: it leaves the interval, and MR
      // 1100, first of page 2, slides onto page 1, already read.
      if (fake.served.get(fake.served.size() - 1).contains("state=merged&") && fake.served.get(fake.served.size() - 1)
          .contains("page=2") && moved.compareAndSet(false, true)) {
        fake.mergeRequest(PROJECT, 1005, "merged", clock.instant());
      }
    });

    CliRun.Result r = gitlab();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(r.logs()).contains("X-Total went from 150 to 149");
    assertThat(pg.rows("SELECT id FROM \"gitlab-ci\".merge_requests WHERE id = 1100")).hasSize(1);
    assertLandedOnce("merge_requests", "project_id, id", 150);
    clock.advance(Duration.ofHours(1));
    assertThat(gitlab().code()).isZero();
    assertThat(pg.rows("SELECT updated_at FROM \"gitlab-ci\".merge_requests WHERE id = 1005"))
        .extracting(row -> Instant.parse(row.get("updated_at").replace(' ', 'T').replace("+00", "Z")))
        .containsExactly(clock.instant().minus(Duration.ofHours(1)));
  }

  @Test
  void rateLimitsAndServerErrorsAreRetried() throws Exception {
    history(3);
    gitlab.stubFor(get(urlPathMatching(PIPELINES)).atPriority(1).inScenario("flaky")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("limited")
        .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "text/plain").withHeader("Retry-After", "1")
            .withHeader("RateLimit-Remaining", "0").withHeader("RateLimit-Reset", "1772625607").withBody("Retry later\n")));
    for (String state : List.of("limited", "failing-1", "failing-2")) {
      gitlab.stubFor(get(urlPathMatching(PIPELINES)).atPriority(1).inScenario("flaky")
          .whenScenarioStateIs(state).willSetStateTo(state.equals("limited") ? "failing-1" : state.equals("failing-1")
              ? "failing-2" : "up")
          .willReturn(aResponse().withStatus(state.equals("limited") ? 500 : 502)
              .withHeader("Content-Type", "application/json").withBody("{\"message\":\"500 Internal Server Error\"}")));
    }

    CliRun.Result r = gitlab();

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    gitlab.verify(5, getRequestedFor(urlPathMatching(PIPELINES)));
    assertLandedOnce("jobs", "project_id, job_id", 6);
    assertThat(r.logs()).contains("GitLab answered 429", "GitLab answered 500", "GitLab answered 502");
  }

  @Test
  void persistentServerErrorsFailTheRunAndLeaveStateAndWarehouseAsTheyWere() throws Exception {
    history(3);
    assertThat(gitlab().code()).isZero();
    StoredObject before = s3.store().readVersioned(new S3Uri("state", "gitlab/state.json")).orElseThrow();
    long jobs = count("SELECT COUNT(*) FROM \"gitlab-ci\".jobs");
    clock.advance(Duration.ofHours(4));
    fake.pipeline(PROJECT, 6000, clock.instant().minus(Duration.ofHours(1)), 99_000, "build");
    gitlab.stubFor(get(urlPathMatching(FakeGitLab.API + "/projects/[^/]+/pipelines/6000/jobs")).atPriority(1)
        .willReturn(aResponse().withStatus(503).withBody("<html>GitLab is not responding</html>")));

    CliRun.Result r = gitlab();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("GitLab answered 503", "listing the jobs of pipeline 6000", "in 5 attempts");
    assertThat(s3.store().readVersioned(new S3Uri("state", "gitlab/state.json")).orElseThrow().etag()).isEqualTo(before.etag());
    assertThat(count("SELECT COUNT(*) FROM \"gitlab-ci\".jobs")).isEqualTo(jobs);
    assertThat(pg.rows("SELECT status FROM observes_meta.runs WHERE job = 'gitlab' AND phase = 'run' ORDER BY started_at"))
        .extracting(row -> row.get("status")).containsExactly("SUCCEEDED", "FAILED");
    assertThat(r.all()).doesNotContain(TOKEN);
  }

  @Test
  void anObjectWithoutTheFieldsTheApiDocumentsFailsTheRunNamingIt() throws Exception {
    history(2);
    gitlab.stubFor(get(urlPathMatching(FakeGitLab.API + "/projects/[^/]+/pipelines/5001/jobs")).atPriority(1)
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withHeader("X-Next-Page", "")
            .withBody("[{\"name\": \"build\", \"status\": \"success\", \"pipeline\": {\"id\": 5001}}]")));

    CliRun.Result r = gitlab();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("listing the jobs of pipeline 5001", "not a documented Job", "\"id\"");
    assertThat(state()).isEmpty();
    assertThat(pg.rows("SELECT 1 FROM pg_namespace WHERE nspname = 'gitlab-ci'")).isEmpty();
  }

  @Test
  void aRejectedTokenIsAConfigurationErrorWithoutTheToken() throws Exception {
    gitlab.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"401 Unauthorized\"}")));

    CliRun.Result r = gitlab();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("GitLab rejected the credentials", "OBSERVES_GITLAB_TOKEN");
    assertThat(r.all()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(8));
    assertThat(state()).isEmpty();
  }

  @Test
  void aNewFieldBecomesANewColumnWithOldRowsNull() throws Exception {
    history(2);
    assertThat(gitlab().code()).isZero();
    clock.advance(Duration.ofHours(4));
    fake.mergeRequest(PROJECT, 3000, "merged", clock.instant().minus(Duration.ofHours(1))).put("merge_train_position", 3);

    assertThat(gitlab().code()).isZero();

    assertThat(pg.rows("SELECT id, merge_train_position FROM \"gitlab-ci\".merge_requests ORDER BY id"))
        .extracting(row -> row.get("id") + "=" + row.get("merge_train_position"))
        .containsExactly("1000=null", "1001=null", "3000=3");
  }

  @Test
  void aSecondRunWhileOneHoldsTheLeaseFailsBeforeChangingAnything() throws Exception {
    history(3);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.beforeEachList(() -> {
      inside.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> first = pool.submit(() -> {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine(new Environment(env()), clock, TestRetries.FAST);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute("etl", "gitlab", "--project", "observes/etl");
      });
      assertThat(inside.await(60, TimeUnit.SECONDS)).as("the first run reached GitLab").isTrue();
      int servedBefore = fake.served.size();

      CliRun.Result second = gitlab();

      assertThat(second.code()).isEqualTo(1);
      assertThat(second.err()).contains("s3://state/gitlab/run.lease is held by run", "another run of gitlab is in progress");
      assertThat(fake.served).hasSize(servedBefore);
      release.countDown();
      fake.beforeEachList(() -> { });
      assertThat(first.get(120, TimeUnit.SECONDS)).isZero();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertLandedOnce("jobs", "project_id, job_id", 6);
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM observes_meta.runs WHERE job = 'gitlab' AND phase = 'run'"))
        .containsExactly(Map.of("n", "1"));
    assertThat(state()).isPresent();
  }

  @Test
  void aLeaseHeldByAnotherRunStopsARunBeforeItReadsAnything() throws Exception {
    history(3);
    RunLease.acquire(s3.store(), "state", "gitlab", "20260301T000000Z-deadbeef", Duration.ofHours(6), clock);

    CliRun.Result r = gitlab();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("20260301T000000Z-deadbeef");
    gitlab.verify(0, anyRequestedFor(anyUrl()));
    assertThat(pg.rows("SELECT 1 FROM pg_namespace WHERE nspname = 'gitlab-ci'")).isEmpty();
    assertThat(state()).isEmpty();
  }

  @Test
  void aDryRunFetchesAndStagesButLoadsNothingAndKeepsTheState() throws Exception {
    history(4);

    CliRun.Result r = gitlab("--dry-run");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(r.out()).contains("Dry run", "nothing was loaded", "jobs", "8 rows", "merge_requests", "staged files in s3://data/gitlab/");
    assertThat(pg.rows("SELECT 1 FROM pg_namespace WHERE nspname IN ('gitlab-ci', 'observes_meta')")).isEmpty();
    assertThat(state()).isEmpty();
    assertThat(s3.store().list(new S3Uri("cache", ""))).isEmpty();
  }

  @Test
  void fullRefreshesIssuesAndMembersIntoTheirOwnSchema() throws Exception {
    history(1);
    fake.issue(PROJECT, 1, "dynamo phase3 times out");
    fake.issue(PROJECT, 2, "zoho bulk read stuck");
    fake.member(PROJECT, 7, "dana", 40);

    assertThat(gitlab("--full").code()).isZero();
    fake.issue(PROJECT, 3, "checkly results missing");
    clock.advance(Duration.ofHours(1));
    CliRun.Result again = gitlab("--full");

    assertThat(again.code()).as(again.err() + again.logs()).isZero();
    assertThat(count("SELECT COUNT(*) FROM gitlab_ci_issues.issues")).isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM gitlab_ci_issues.issues__labels")).isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM gitlab_ci_issues.issues__assignees")).isEqualTo(3);
    assertThat(pg.rows("SELECT project_id, username, access_level FROM gitlab_ci_issues.members"))
        .containsExactly(Map.of("project_id", "4711", "username", "dana", "access_level", "40"));
    assertThat(count("SELECT COUNT(*) FROM gitlab_ci_issues_backup.issues")).isEqualTo(2);
    assertThat(ColumnLineage.servedBy(gitlab).violations(pg, "gitlab_ci_issues")).isEmpty();
    assertThat(pg.rows("SELECT col_description('gitlab_ci_issues.members'::regclass, a.attnum) AS note FROM pg_attribute a "
        + "WHERE a.attrelid = 'gitlab_ci_issues.members'::regclass AND a.attname = 'project_id'"))
        .extracting(row -> row.get("note")).containsExactly("derived: the id of the project whose members were listed");
  }
}
