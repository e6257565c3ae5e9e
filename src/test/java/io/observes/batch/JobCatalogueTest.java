package io.observes.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobCatalogueTest {
  @Test
  void theRepositoryCatalogueHoldsEveryJobOfTheProduct() {
    JobCatalogue catalogue = JobCatalogue.load(Path.of("etl-jobs"));
    assertThat(catalogue.jobs()).extracting(JobSpec::name).containsExactlyInAnyOrder(
        "dynamo-determine-schema", "dynamo-export", "dynamo-incremental", "dynamo-phase1", "dynamo-phase2", "dynamo-phase3", "dynamo-phase4", "gitlab",
        "gitlab-ephemeral", "checkly", "zoho-prepare", "zoho-load", "timedoctor-backup", "timedoctor-load",
        "compute-bills", "batch-stability", "cancel-ci-jobs", "dq-check");
    JobSpec phase1 = catalogue.require("dynamo-phase1");
    assertThat(phase1.schedule()).isEqualTo("cron(0 3 ? * 2-6 *)");
    assertThat(phase1.nodes()).isEqualTo(240);
    assertThat(catalogue.dependents("dynamo-phase1")).extracting(JobSpec::name).containsExactly("dynamo-phase2");
    // The export chain: dynamo-export heads it, and phase1 (still scheduled, heading the scan chain) follows it.
    assertThat(catalogue.require("dynamo-export").schedule()).isNull();
    assertThat(phase1.dependsOn()).containsExactly("dynamo-export");
    assertThat(catalogue.dependents("dynamo-export")).extracting(JobSpec::name).containsExactly("dynamo-phase1");
    // Hourly, and not part of a chain: it shares the refresh's run lease instead.
    assertThat(catalogue.require("dynamo-incremental").schedule()).isEqualTo("cron(20 * * * ? *)");
    assertThat(catalogue.require("dynamo-incremental").dependsOn()).isEmpty();
    assertThat(JobCatalogue.bundled().jobs()).hasSameSizeAs(catalogue.jobs());
  }

  private static String job(String extra) {
    return "name: j\ncommand: [etl, x]\nsize: small\n" + extra;
  }

  @Test
  void everyProblemIsReportedWithFileFieldAndReason() {
    assertThatThrownBy(() -> JobCatalogue.parse(Map.of(
        "a.yaml", "name: a\ncommand: [etl, x]\nsize: huge\n",
        "b.yaml", "name: b\ncommand: [etl, x]\nsize: small\nschedule: \"cron(0 3 * * * *)\"\n",
        "c.yaml", "name: c\ncommand: [etl, x]\nsize: small\ntimeout: 5\nnodes: -1\n",
        "d.yaml", "name: d\ncommand: [etl, x]\nsize: small\ndepends_on: [nope]\n",
        "e.yaml", "command: [etl\n",
        "f.yaml", "name: F_bad\ncommand: []\nsize: small\nenvironment: {lower: x}\n")))
        .isInstanceOf(JobCatalogue.InvalidCatalogueException.class)
        .hasMessageContaining("a.yaml: size: 'huge' is not one of small, medium, large")
        .hasMessageContaining("b.yaml: schedule: 'cron(0 3 * * * *)' is not a valid AWS cron expression")
        .hasMessageContaining("c.yaml: timeout: unknown field")
        .hasMessageContaining("c.yaml: nodes: must be a whole number from 1 to 1000, was '-1'")
        .hasMessageContaining("d.yaml: depends_on: no job is named 'nope'")
        .hasMessageContaining("e.yaml: not valid YAML")
        .hasMessageContaining("f.yaml: name: 'F_bad' must be lower-case")
        .hasMessageContaining("f.yaml: command: must be a non-empty list of text")
        .hasMessageContaining("f.yaml: environment: 'lower' is not an environment variable name");
  }

  @Test
  void duplicatesAreRefusedAndAScheduledDependentAlsoHeadsItsOwnChain() {
    assertThatThrownBy(() -> JobCatalogue.parse(Map.of("a.yaml", job(""), "b.yaml", job(""))))
        .hasMessageContaining("b.yaml: name: 'j' is already the name of another job");
    // dynamo-phase1: scheduled (the scan chain), and after dynamo-export when that chain is submitted.
    JobCatalogue catalogue = JobCatalogue.parse(Map.of(
        "a.yaml", "name: a\ncommand: [x]\nsize: small\n",
        "b.yaml", "name: b\ncommand: [x]\nsize: small\ndepends_on: [a]\nschedule: \"cron(0 3 ? * 2-6 *)\"\n"));
    assertThat(catalogue.dependents("a")).extracting(JobSpec::name).containsExactly("b");
    assertThat(new JobScheduler(catalogue).due(java.time.ZonedDateTime.parse("2026-11-23T03:00Z")))
        .extracting(JobSpec::name).containsExactly("b");
  }

  @Test
  void profileLimitsHaveDefaultsJobValuesAndPerTableOverridesAndBadOnesAreNamed() {
    Health health = JobCatalogue.parse(Map.of("a.yaml", job("checks: {null_rate_drift: 0.5, max_orphans: 3, "
        + "tables: {t: {drops_columns: true, max_growth_factor: 10}}}\n"))).require("j").health();
    assertThat(health.limits("other")).isEqualTo(new ProfileLimits(0.5, ProfileLimits.MAX_GROWTH_FACTOR, false, 3));
    assertThat(health.limits("t")).isEqualTo(new ProfileLimits(0.5, 10, true, 3));
    assertThat(Health.defaults("x").limits("t")).isEqualTo(ProfileLimits.DEFAULTS);

    assertThatThrownBy(() -> JobCatalogue.parse(Map.of("a.yaml", job("checks: {null_rate_drift: 2, max_growth_factor: 1, "
        + "drops_columns: maybe, tables: {t: {max_orphans: -1, nulls: 1}, u: 3}}\n"))))
        .hasMessageContaining("a.yaml: checks: null_rate_drift: must be a number above 0 and at most 1")
        .hasMessageContaining("a.yaml: checks: max_growth_factor: must be a number above 1, was '1'")
        .hasMessageContaining("a.yaml: checks: drops_columns: must be true or false, was 'maybe'")
        .hasMessageContaining("a.yaml: checks: tables: t: max_orphans: must be a whole number from 0, was '-1'")
        .hasMessageContaining("a.yaml: checks: tables: t: nulls: unknown")
        .hasMessageContaining("a.yaml: checks: tables: u: must be a mapping of");
  }

  @Test
  void filesWithoutACommandAreNotJobs() {
    JobCatalogue catalogue = JobCatalogue.parse(Map.of("routes.yaml", "routes: []\nfallback: x\n", "a.yaml", job("")));
    assertThat(catalogue.jobs()).extracting(JobSpec::name).containsExactly("j");
  }

  @Test
  void awsCronUnderstandsAwsSyntax() {
    assertThat(AwsCron.parse("cron(0 3 ? * 2-6 *)").firesDuringHour(java.time.ZonedDateTime.parse("2026-11-23T03:00Z"))).isTrue();
    assertThat(AwsCron.parse("cron(0 3 ? * MON-FRI *)").firesDuringHour(java.time.ZonedDateTime.parse("2026-11-22T03:30Z"))).isFalse();
    assertThat(AwsCron.parse("cron(0 12 L * ? *)").firesDuringHour(java.time.ZonedDateTime.parse("2026-11-30T12:00Z"))).isTrue();
    assertThat(AwsCron.parse("cron(0 12 ? * 6#3 *)").firesDuringHour(java.time.ZonedDateTime.parse("2026-11-20T12:10Z"))).isTrue();
    assertThat(AwsCron.parse("cron(0 12 ? * 6#3 *)").firesDuringHour(java.time.ZonedDateTime.parse("2026-11-13T12:10Z"))).isFalse();
    assertThat(AwsCron.parse("cron(0 9 15W * ? 2026)").firesDuringHour(java.time.ZonedDateTime.parse("2026-11-16T09:00Z"))).isTrue();
    assertThatThrownBy(() -> AwsCron.parse("0 3 * * *")).hasMessageContaining("cron(minutes hours");
    assertThatThrownBy(() -> AwsCron.parse("cron(0 3 * * *)")).hasMessageContaining("6 fields");
  }
}
