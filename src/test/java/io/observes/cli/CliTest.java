package io.observes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.config.Environment;
import io.observes.testing.PostgresStandIn;
import java.util.Map;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    CommandLine cli = Main.commandLine(new Environment(Map.of()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("runs", "generate-completion", "Exit codes: 0 ok, 1 job failed, 2 usage");
  }

  @Test
  void everyCommandOfTheBundledCatalogueIsOneTheJarHasWithOptionsItTakes() {
    var jobs = io.observes.batch.JobCatalogue.bundled().jobs();
    assertThat(jobs).extracting(io.observes.batch.JobSpec::name).contains("gitlab", "gitlab-ephemeral", "checkly", "cancel-ci-jobs",
        "compute-bills", "timedoctor-backup", "timedoctor-load", "zoho-prepare", "zoho-load");
    for (io.observes.batch.JobSpec job : jobs) {
      CommandLine cli = Main.commandLine(new Environment(Map.of()));
      CommandLine.ParseResult parsed = cli.parseArgs(job.command().toArray(String[]::new));
      CommandLine.ParseResult leaf = parsed;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      assertThat(leaf.commandSpec().userObject()).as(job.name() + ": " + job.command())
          .isNotInstanceOf(EtlCommand.class).isNotInstanceOf(JobCommand.class).isNotInstanceOf(DynamoCommand.class);
    }
  }

  @Test
  void versionIsPrinted() {
    Result r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("observes ");
  }

  @Test
  void noCommandOrAnUnknownOneIsAUsageError() {
    assertThat(run().code()).isEqualTo(2);
    Result unknown = run("frobnicate");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate");
    assertThat(run("runs", "--limit", "0").code()).isEqualTo(2);
  }

  @Test
  void bashCompletionScriptIsGenerated() {
    Result r = run("generate-completion");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("complete -F", "observes", "runs");
  }

  @Test
  void aBadWarehouseUrlIsAConfigurationError() {
    Result r = run("runs", "--warehouse-url", "jdbc:mysql://db/x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("jdbc:redshift://", "jdbc:postgresql://");
  }

  @Test
  void aRedshiftWarehouseWithoutAnIamRoleIsAConfigurationErrorThatSaysWhatToSet() {
    Result r = run("runs", "--warehouse-url", "jdbc:redshift://cluster.example:5439/dev");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("configuration error", "OBSERVES_REDSHIFT_IAM_ROLE").doesNotContain("Exception");
  }

  @Test
  void anUnreachableWarehouseFailsTheJobWithoutLeakingTheUrlPassword() {
    Result r = run("runs", "--warehouse-url", "jdbc:postgresql://127.0.0.1:1/db?password=hunter2&connectTimeout=1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("observes: failed:").doesNotContain("hunter2");
  }

  @Test
  void runsListsTheRunLog() throws Exception {
    try (PostgresStandIn pg = new PostgresStandIn()) {
      String url = pg.jdbcUrl();
      Result empty = run("runs", "--warehouse-url", url);
      assertThat(empty.code()).isZero();
      assertThat(empty.out()).contains("No runs recorded for this selection.");
      pg.execute("INSERT INTO observes_meta.runs (job, run_id, phase, segment, started_at, finished_at, status, error) "
          + "VALUES ('dynamodb', 'r-1', 'load', 3, now(), now(), 'FAILED', 'segment 3 failed: retry it')");
      Result listed = run("runs", "--warehouse-url", url, "--job", "dynamodb");
      assertThat(listed.code()).isZero();
      assertThat(listed.out()).contains("dynamodb", "r-1", "load", "3", "FAILED", "segment 3 failed: retry it");
    }
  }
}
