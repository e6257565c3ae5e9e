package io.observes.etl.timedoctor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.ColumnLineage;
import io.observes.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code observes etl timedoctor backup} and {@code load} end to end: WireMock as TimeDoctor,
 * s3proxy for the backups and staging, PostgreSQL as the warehouse.
 */
class TimeDoctorEtlTest extends ApiEtlStandIns {
  static final String EMAIL = "etl@example.com";
  static final String PASSWORD = "s3cret-Pa55word!";
  WireMockServer timedoctor;
  FakeTimeDoctor fake;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-01T04:00:00Z"));

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
    // Spans the end of October: it is in the October backup and in November's live read.
    fake.worklog("u-ana", Instant.parse("2026-10-31T23:00:00Z"), 7200, "1", "2");
    fake.worklog("u-ana", Instant.parse("2026-11-02T08:00:00Z"), 900, "3", "2");
    fake.screenshot("u-ana", Instant.parse("2026-10-03T09:10:00Z"));
    for (int i = 0; i < 250; i++) {
      fake.screenshot("u-bob", Instant.parse("2026-10-15T13:30:00Z").plusSeconds(6L * i));
    }
    fake.screenshot("u-ana", Instant.parse("2026-11-02T08:05:00Z"));
  }

  @AfterEach
  void stop() {
    timedoctor.stop();
  }

  Map<String, String> env() {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_TIMEDOCTOR_URL", "http://127.0.0.1:" + timedoctor.port() + FakeTimeDoctor.API);
    env.put("OBSERVES_TIMEDOCTOR_EMAIL", EMAIL);
    env.put("OBSERVES_TIMEDOCTOR_PASSWORD", PASSWORD);
    return env;
  }

  CliRun.Result timedoctor(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "etl";
    all[1] = "timedoctor";
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(env(), clock, all);
  }

  List<String> keys(String prefix) {
    return s3.store().list(new S3Uri("data", prefix)).stream().map(S3Uri::key).sorted().toList();
  }

  @Test
  void theBackupKeepsThePreviousMonthWholeAndARerunReplacesIt() throws Exception {
    CliRun.Result first = timedoctor("backup");

    assertThat(first.code()).as(first.err() + first.logs()).isZero();
    assertThat(first.out()).contains("Backed up TimeDoctor 2026-10", "worklogs", "3 rows", "computer_activity", "251 rows");
    List<String> files = keys("backup_timedoctor/2026-10/");
    assertThat(files).hasSize(3).contains("backup_timedoctor/2026-10/manifest.json");
    // Screenshots of one window in pages of 200.
    assertThat(fake.served.stream().filter(u -> u.contains("/files/screenshot") && u.contains("user=u-bob")
        && u.contains("page=200"))).hasSize(1);

    clock.advance(Duration.ofHours(1));
    fake.worklog("u-bob", Instant.parse("2026-10-20T10:00:00Z"), 600, "2", "1");
    assertThat(timedoctor("backup", "--month", "2026-10").code()).isZero();

    List<String> again = keys("backup_timedoctor/2026-10/");
    assertThat(again).hasSize(3).doesNotContainAnyElementsOf(files.stream().filter(k -> !k.endsWith("manifest.json")).toList());
  }

  @Test
  void theLoadTakesBackedUpMonthsAndTheCurrentOneLiveEachRowOnceWithStableIds() throws Exception {
    assertThat(timedoctor("backup").code()).isZero();
    clock.set(Instant.parse("2026-11-20T09:00:00Z"));

    CliRun.Result load = timedoctor("load");

    assertThat(load.code()).as(load.err() + load.logs()).isZero();
    assertThat(count("SELECT COUNT(*) FROM timedoctor.worklogs")).isEqualTo(4);
    assertThat(count("SELECT COUNT(DISTINCT worklog_id) FROM timedoctor.worklogs")).isEqualTo(4);
    assertThat(count("SELECT COUNT(*) FROM timedoctor.computer_activity")).isEqualTo(252);
    assertThat(ColumnLineage.servedBy(timedoctor).violations(pg, "timedoctor")).isEmpty();
    assertThat(pg.rows("SELECT user_id, user_name, task_id, task_name, project_id, project_name, length, end_time, work_mode "
        + "FROM timedoctor.worklogs WHERE start_time = '2026-10-31T23:00:00Z'")).containsExactly(Map.of("user_id", "u-ana",
            "user_name", "Ana Ruiz", "task_id", "t-1", "task_name", "Task 1", "project_id", "p-2", "project_name", "Project 2",
            "length", "7200", "end_time", "2026-11-01 01:00:00+00", "work_mode", "computer"));
    assertThat(load.out()).contains("1 record(s) read twice were loaded once");
    List<Map<String, String>> ids = pg.rows("SELECT worklog_id FROM timedoctor.worklogs ORDER BY 1");
    List<Map<String, String>> uuids = pg.rows("SELECT uuid FROM timedoctor.computer_activity ORDER BY 1");

    clock.advance(Duration.ofHours(2));
    assertThat(timedoctor("load").code()).isZero();

    assertThat(pg.rows("SELECT worklog_id FROM timedoctor.worklogs ORDER BY 1")).isEqualTo(ids);
    assertThat(pg.rows("SELECT uuid FROM timedoctor.computer_activity ORDER BY 1")).isEqualTo(uuids);
  }

  @Test
  void recordsOfTwoDevicesAtTheSameSecondAreTwoRowsAndARerunDoublesNothing() throws Exception {
    Instant october = Instant.parse("2026-10-07T10:00:00Z");
    Instant november = Instant.parse("2026-11-04T15:00:00Z");
    // One user, one task and project, the same second, two computers: two worklogs, two screenshots.
    fake.worklog("u-ana", october, 1200, "1", "1", "computer", "DESKTOP-A");
    fake.worklog("u-ana", october, 1200, "1", "1", "computer", "LAPTOP-B");
    fake.screenshot("u-ana", november, "DESKTOP-A", 40, 90);
    fake.screenshot("u-ana", november, "LAPTOP-B", 40, 90);
    assertThat(timedoctor("backup").code()).isZero();
    clock.set(Instant.parse("2026-11-20T09:00:00Z"));

    CliRun.Result load = timedoctor("load");

    assertThat(load.code()).as(load.err() + load.logs()).isZero();
    assertThat(pg.rows("SELECT deviceid FROM timedoctor.worklogs WHERE start_time = '2026-10-07T10:00:00Z' ORDER BY 1"))
        .extracting(row -> row.get("deviceid")).containsExactly("DESKTOP-A", "LAPTOP-B");
    assertThat(pg.rows("SELECT deviceid FROM timedoctor.computer_activity WHERE date = '2026-11-04T15:00:00Z' ORDER BY 1"))
        .extracting(row -> row.get("deviceid")).containsExactly("DESKTOP-A", "LAPTOP-B");
    // Only the worklog spanning October's end was read twice (backup and live), equal in every field.
    assertThat(load.out()).contains("1 record(s) read twice were loaded once");
    assertThat(count("SELECT COUNT(*) FROM timedoctor.worklogs")).isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM timedoctor.computer_activity")).isEqualTo(254);

    clock.advance(Duration.ofHours(2));
    CliRun.Result again = timedoctor("load");

    assertThat(again.code()).as(again.err() + again.logs()).isZero();
    assertThat(count("SELECT COUNT(*) FROM timedoctor.worklogs")).isEqualTo(6);
    assertThat(count("SELECT COUNT(DISTINCT worklog_id) FROM timedoctor.worklogs")).isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM timedoctor.computer_activity")).isEqualTo(254);
    assertThat(count("SELECT COUNT(DISTINCT uuid) FROM timedoctor.computer_activity")).isEqualTo(254);
  }

  @Test
  void theLegacyColumnsAreReadFromWhereTimeDoctorSendsThem() throws Exception {
    Instant at = Instant.parse("2026-11-05T11:00:00Z");
    fake.worklog("u-bob", Instant.parse("2026-11-05T08:00:00Z"), 600, "2", "1", "manual", FakeTimeDoctor.DEVICE);
    fake.screenshot("u-bob", at, FakeTimeDoctor.DEVICE, 77, 205);
    synchronized (fake) {
      fake.screenshots.get(fake.screenshots.size() - 1).put("deleted_by", "u-admin").put("deletedSeconds", 600);
    }
    clock.set(Instant.parse("2026-11-20T09:00:00Z"));

    CliRun.Result load = timedoctor("load");

    assertThat(load.code()).as(load.err() + load.logs()).isZero();
    assertThat(pg.rows("SELECT work_mode, edited FROM timedoctor.worklogs WHERE start_time >= '2026-11-01' ORDER BY start_time"))
        .containsExactly(Map.of("work_mode", "computer", "edited", "f"), Map.of("work_mode", "manual", "edited", "t"));
    assertThat(pg.rows("SELECT keystrokes, mousemovements, task_id, project_id, process, \"window\", deleted_by, deletedseconds "
        + "FROM timedoctor.computer_activity WHERE date = '2026-11-05T11:00:00Z'")).containsExactly(Map.of("keystrokes", "77",
            "mousemovements", "205", "task_id", "t-1", "project_id", "p-1", "process", "chrome.exe",
            "window", "Observes - Pull request 17", "deleted_by", "u-admin", "deletedseconds", "600"));
    // The served record stays whole beside them: every file of numbers[], appInfo.
    assertThat(count("SELECT COUNT(*) FROM timedoctor.computer_activity WHERE keystrokes IS NULL")).isZero();
  }

  @Test
  void aServedFieldNamedLikeAColumnReadFromElsewhereFailsNamingItInsteadOfDroppingOne() throws Exception {
    synchronized (fake) {
      fake.screenshots.get(0).put("keystrokes", 5);
    }

    CliRun.Result r = timedoctor("backup");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("computer activity of user u-ana", "a field 'keystrokes' beside the column of that name");
    assertThat(keys("backup_timedoctor/")).isEmpty();
  }

  @Test
  void aFullScreenshotPageWithoutANextCursorFailsNamingTheCall() throws Exception {
    fake.nextOnFullPages = false;

    CliRun.Result r = timedoctor("backup");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("computer activity of user u-bob", "page 1", "200", "paging.next");
    assertThat(keys("backup_timedoctor/")).isEmpty();
  }

  @Test
  void anExpiredTokenIsRenewedOnceAndTheRunGoesOn() throws Exception {
    timedoctor.addMockServiceRequestListener((request, response) -> {
      if (request.getUrl().contains("/files/screenshot") && fake.logins() == 1) {
        fake.expireToken();
      }
    });

    CliRun.Result r = timedoctor("backup");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(fake.logins()).isEqualTo(2);
  }

  @Test
  void aWrongPasswordIsAConfigurationErrorWithoutThePassword() throws Exception {
    Map<String, String> env = env();
    env.put("OBSERVES_TIMEDOCTOR_PASSWORD", "wrong-" + PASSWORD);

    CliRun.Result r = CliRun.run(env, clock, "etl", "timedoctor", "load");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("TimeDoctor rejected the credentials", "OBSERVES_TIMEDOCTOR_PASSWORD");
    assertThat(r.all()).doesNotContain(PASSWORD);
    assertThat(pg.rows("SELECT 1 FROM pg_namespace WHERE nspname = 'timedoctor'")).isEmpty();
  }
}
