package io.observes.etl.zoho;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.testing.CliRun;
import io.observes.testing.ColumnLineage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code observes etl zoho prepare} and {@code load} end to end: WireMock as Zoho's accounts server
 * and CRM API, s3proxy for state and staging, PostgreSQL as the warehouse.
 */
class ZohoEtlTest extends ZohoStandIns {
  @Test
  void prepareCreatesAJobPerModuleOnceAndRefreshesTheirStates() throws Exception {
    CliRun.Result first = zoho("prepare");

    assertThat(first.code()).as(first.err() + first.logs()).isZero();
    assertThat(fake.created()).isEqualTo(16);
    assertThat(state().path("jobs").size()).isEqualTo(16);
    assertThat(pg.rows("SELECT module, page, state FROM zoho_crm.bulk_jobs WHERE module = 'Price_Books'"))
        .containsExactly(Map.of("module", "Price_Books", "page", "1", "state", "ADDED"));

    fake.completeAll();
    CliRun.Result second = zoho("prepare");

    assertThat(second.code()).as(second.err() + second.logs()).isZero();
    assertThat(fake.created()).isEqualTo(16);
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.bulk_jobs")).isEqualTo(16);
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.bulk_jobs WHERE state = 'COMPLETED'")).isEqualTo(16);
  }

  @Test
  void aLoadBeforeEveryModuleCompletedFailsNamingThemAndLoadsNothing() throws Exception {
    assertThat(zoho("prepare").code()).isZero();
    fake.jobs.values().stream().filter(j -> !j.path("query").path("module").asText().equals("Cases"))
        .forEach(j -> j.put("state", "COMPLETED").set("result", JSON.createObjectNode().put("page", 1).put("more_records", false)));
    fake.jobs.values().stream().filter(j -> j.path("query").path("module").asText().equals("Cases"))
        .forEach(j -> j.put("state", "IN PROGRESS"));

    CliRun.Result r = zoho("load");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no COMPLETED bulk read job: Cases (IN PROGRESS)", "observes etl zoho prepare");
    assertThat(pg.rows("SELECT 1 FROM information_schema.tables WHERE table_schema = 'zoho_crm' AND table_name = 'leads'")).isEmpty();
    assertThat(state().path("jobs").size()).isEqualTo(16);
  }

  @Test
  void aLoadReadsEveryPageOfEveryModuleTypedByItsFieldsAndKeepsTheBulkJobs() throws Exception {
    assertThat(zoho("prepare").code()).isZero();
    fake.completeAll();

    CliRun.Result r = zoho("load");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    // Leads: 3 records on page 1, more_records, so page 2 (2 records) was asked for and awaited.
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.leads")).isEqualTo(5);
    assertThat(count("SELECT COUNT(DISTINCT id) FROM zoho_crm.leads")).isEqualTo(5);
    assertThat(fake.created()).isEqualTo(17);
    for (String module : ZohoModules.ALL) {
      assertThat(count("SELECT COUNT(*) FROM zoho_crm." + ZohoModules.stream(module))).as(module).isPositive();
    }
    assertThat(pg.rows("SELECT last_name, no_of_employees, annual_revenue, email_opt_out, created_time FROM zoho_crm.accounts"))
        .containsExactly(Map.of("last_name", "Boyle, \"Pat\" 0", "no_of_employees", "10", "annual_revenue", "1250000.50",
            "email_opt_out", "t", "created_time", "2026-11-01 04:30:28+00"));
    assertThat(pg.rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'zoho_crm' AND table_name = 'leads' "
        + "AND column_name IN ('no_of_employees', 'email_opt_out', 'created_time') ORDER BY column_name"))
        .extracting(row -> row.get("data_type")).containsExactly("timestamp with time zone", "boolean", "bigint");
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.leads__interests")).isEqualTo(10);
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.users")).isEqualTo(250);
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.bulk_jobs")).isEqualTo(17);
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.bulk_jobs WHERE module = 'Leads' AND page = 2")).isEqualTo(1);
    // Interests is a multi-select picklist: a JSON array in Zoho's records API, joined with ';' in the bulk CSV.
    assertThat(ColumnLineage.servedBy(zoho).with("Interests[]").violations(pg, "zoho_crm")).isEmpty();
    // The jobs are spent: the next prepare asks Zoho for a fresh read of every module.
    assertThat(state().path("jobs").size()).isZero();
    assertThat(zoho("prepare").code()).isZero();
    assertThat(fake.created()).isEqualTo(33);
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.leads")).as("prepare leaves the modules alone").isEqualTo(5);
  }

  @Test
  void aJobThatFailedOrWasForgottenIsKeptInBulkJobsAtItsLastStateBesideItsReplacement() throws Exception {
    assertThat(zoho("prepare").code()).isZero();
    String failed;
    String forgotten;
    synchronized (fake) {
      failed = fake.jobs.values().stream().filter(j -> j.path("query").path("module").asText().equals("Leads")).findFirst()
          .orElseThrow().get("id").asText();
      fake.jobs.get(failed).put("state", "FAILURE").set("result", JSON.readTree("{\"error_message\": {\"status\": \"error\", "
          + "\"code\": \"INTERNAL_SERVER_ERROR\", \"message\": \"Internal server error occurred.\", \"details\": {}}}"));
      forgotten = fake.jobs.values().stream().filter(j -> j.path("query").path("module").asText().equals("Deals")).findFirst()
          .orElseThrow().get("id").asText();
      fake.jobs.remove(forgotten);
    }

    CliRun.Result r = zoho("prepare");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(fake.created()).isEqualTo(18);
    assertThat(pg.rows("SELECT state FROM zoho_crm.bulk_jobs WHERE id = '" + failed + "'"))
        .containsExactly(Map.of("state", "FAILURE"));
    // Why it failed, as Zoho said (result.error_message, flattened into columns).
    assertThat(pg.rows("SELECT * FROM zoho_crm.bulk_jobs WHERE id = '" + failed + "'").get(0).values())
        .contains("INTERNAL_SERVER_ERROR", "Internal server error occurred.");
    assertThat(pg.rows("SELECT state FROM zoho_crm.bulk_jobs WHERE id = '" + forgotten + "'"))
        .containsExactly(Map.of("state", "ADDED"));
    assertThat(pg.rows("SELECT module, state FROM zoho_crm.bulk_jobs WHERE module IN ('Leads', 'Deals') AND id NOT IN ('"
        + failed + "', '" + forgotten + "') ORDER BY module"))
        .containsExactly(Map.of("module", "Deals", "state", "ADDED"), Map.of("module", "Leads", "state", "ADDED"));
    assertThat(count("SELECT COUNT(*) FROM zoho_crm.bulk_jobs")).isEqualTo(18);
    assertThat(state().path("jobs").path("Leads").path("id").asText()).isNotEqualTo(failed);
  }

  static final List<String> HOSTILE_IDS = List.of("../../x", "a/b", "%2e%2e", "ünï/cødé 😀", "line\nbreak", "tab\tx?y#z",
      "..%2F..%2Fetc", "/leading", "C:\\temp\\x", "*", ".hidden", "+plus", "x".repeat(300), "a b", "%", "~");

  @Test
  void hostileJobIdsStayOneUrlSegmentAndNameNoFileOutsideTheWorkDirectory() throws Exception {
    fake.nextIds.addAll(HOSTILE_IDS);
    java.nio.file.Path outside = java.nio.file.Files.createDirectories(work.resolve("hostile"));
    java.nio.file.Path inside = java.nio.file.Files.createDirectories(outside.resolve("work"));
    Map<String, String> env = env();
    env.put("OBSERVES_WORK_DIR", inside.toString());
    assertThat(CliRun.run(env, clock, "etl", "zoho", "prepare").code()).isZero();
    fake.completeAll();

    CliRun.Result r = CliRun.run(env, clock, "etl", "zoho", "load");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    // Every bulk call stayed under /crm/bulk/v2/read/<one segment>, and asked for the very id Zoho gave.
    assertThat(fake.served).filteredOn(s -> s.startsWith("GET /crm/bulk")).allSatisfy(s ->
        assertThat(s).matches("GET /crm/bulk/v2/read/[^/]+(/result)?"));
    assertThat(fake.served).contains("GET /crm/bulk/v2/read/..%2F..%2Fx", "GET /crm/bulk/v2/read/..%2F..%2Fx/result",
        "GET /crm/bulk/v2/read/a%2Fb/result", "GET /crm/bulk/v2/read/%252e%252e/result", "GET /crm/bulk/v2/read/line%0Abreak");
    assertThat(fake.served).noneMatch(s -> s.contains("/crm/bulk/x") || s.startsWith("GET /x") || s.contains("\n"));
    // The ids are kept exactly, and every module was read.
    assertThat(pg.rows("SELECT id FROM zoho_crm.bulk_jobs")).extracting(row -> row.get("id")).containsAll(HOSTILE_IDS);
    for (String module : ZohoModules.ALL) {
      assertThat(count("SELECT COUNT(*) FROM zoho_crm." + ZohoModules.stream(module))).as(module).isPositive();
    }
    assertThat(list(outside)).as("nothing written beside the work directory").containsExactly(inside.toString());
    assertThat(list(inside)).as("every downloaded result deleted once read").isEmpty();
  }

  static List<String> list(java.nio.file.Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      return files.map(java.nio.file.Path::toString).sorted().toList();
    }
  }

  @Test
  void aJobIdThatIsARelativePathStepIsRefusedNamingIt() throws Exception {
    fake.nextIds.add("..");

    CliRun.Result r = zoho("prepare");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("'..' is a relative path step");
    assertThat(fake.served).noneMatch(s -> s.startsWith("GET /crm/bulk/v2/read/"));
  }

  @Test
  void anExpiredAccessTokenIsRenewedOnce() throws Exception {
    assertThat(zoho("prepare").code()).isZero();
    fake.completeAll();
    zoho.addMockServiceRequestListener((request, response) -> {
      if (request.getUrl().contains("/result") && fake.tokens() == 2) {
        fake.expireToken();
      }
    });

    CliRun.Result r = zoho("load");

    assertThat(r.code()).as(r.err() + r.logs()).isZero();
    assertThat(fake.tokens()).isEqualTo(3);
  }

  @Test
  void aRefusedRefreshTokenIsAConfigurationErrorWithoutTheSecrets() throws Exception {
    Map<String, String> env = env();
    env.put("OBSERVES_ZOHO_REFRESH_TOKEN", "1000.revoked");

    CliRun.Result r = CliRun.run(env, clock, "etl", "zoho", "prepare");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Zoho refused the refresh token (invalid_code)", "OBSERVES_ZOHO_REFRESH_TOKEN");
    assertThat(r.all()).doesNotContain(CLIENT_SECRET).doesNotContain("1000.revoked");
  }
}
