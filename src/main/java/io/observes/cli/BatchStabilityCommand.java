package io.observes.cli;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.warehouse.WarehouseConfig;
import io.observes.alert.AlertWebhook;
import io.observes.http.ApiClient;
import io.observes.jobs.batch.CheckScope;
import io.observes.jobs.batch.FailedJob;
import io.observes.jobs.batch.StabilityCheck;
import io.observes.jobs.batch.StabilityReport;
import io.observes.pipeline.RunId;
import io.observes.pipeline.RunLog;
import io.observes.text.PrintableWriter;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseSettings;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.batch.BatchClient;

/**
 * {@code observes job batch-stability}: which of our Batch jobs failed in the last hours, and why.
 * The check is itself a run in the run log (job {@value #JOB}, phase {@value #PHASE}, one entry per
 * failure class), so a failing check and the classes' trend show up next to the ETLs. The exit code
 * is the alert for the scheduler (1 when any job failed; a cancellation alone is not a failure);
 * {@code OBSERVES_ALERT_WEBHOOK} is the alert for people.
 */
@Command(name = "batch-stability", mixinStandardHelpOptions = true,
    description = {
      "Report the jobs of an AWS Batch queue that failed in the last hours, classified:",
      "FAILED_WITH_EXIT_CODE, FAILED_WITHOUT_EXIT_CODE (e.g. host terminated), NEVER_STARTED,",
      "and with --cancelled also CANCELLED. Records the check in the run log and posts the failures to",
      "OBSERVES_ALERT_WEBHOOK (Slack-compatible), unless --dry-run."},
    footer = {"", "Exit codes: 0 no job failed (cancellations alone are not failures), 1 a job failed or the check did,",
      "2 usage or configuration error."})
final class BatchStabilityCommand implements Callable<Integer> {
  static final String JOB = "batch-stability";
  static final String PHASE = "check";
  static final String WEBHOOK = "OBSERVES_ALERT_WEBHOOK";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--queue", required = true, description = "An AWS Batch job queue, e.g. observes_small; repeat for several.")
  List<String> queues;

  @Option(names = "--last-hours", defaultValue = "1",
      description = "Jobs that stopped within this many hours (default: ${DEFAULT-VALUE}).")
  int lastHours;

  @Option(names = "--cancelled", description = "Also list cancelled jobs (Batch reports them as FAILED).")
  boolean cancelled;

  @Option(names = "--name-contains", defaultValue = "observes",
      description = "Only jobs whose name contains this text (default: ${DEFAULT-VALUE}).")
  String nameContains;

  @Option(names = "--dry-run", description = "List and print only: no run log (no warehouse needed), no alert.")
  boolean dryRun;

  @Override
  public Integer call() {
    if (lastHours < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--last-hours must be at least 1");
    }
    if (queues.stream().anyMatch(String::isBlank)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--queue must name a job queue");
    }
    CommandContext context = CommandContext.of(spec);
    Environment env = context.environment();
    Instant now = context.clock().instant();
    CheckScope scope = new CheckScope(queues, nameContains, now.minus(Duration.ofHours(lastHours)), cancelled);
    AwsSettings aws = AwsSettings.from(env);
    StabilityReport report;
    AlertWebhook webhook = null;
    if (dryRun) {
      report = check(aws, scope);
      PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
      out.println("dry run: nothing written to the run log, no alert sent.");
      out.flush();
    } else {
      webhook = AlertWebhook.from(env, context.retries(), ApiClient.defaultHttpClient(), context.clock()).orElse(null);
      try (WarehouseClient warehouse = open(WarehouseConfig.from(env, null))) {
        report = new RunLog(warehouse, context.clock()).phase(JOB, RunId.startingAt(now), PHASE, null, () -> {
          StabilityReport checked = check(aws, scope);
          return new RunLog.Outcome<>(checked, checked.tableCounts());
        });
      }
    }
    if (webhook != null && !report.jobs().isEmpty()) {
      alert(webhook, report);
    }
    return report.hasFailures() ? ErrorHandler.FAILED : 0;
  }

  private StabilityReport check(AwsSettings aws, CheckScope scope) {
    StabilityReport report;
    try (BatchClient batch = AwsClients.batch(aws)) {
      report = new StabilityCheck(batch).run(scope);
    }
    print(PrintableWriter.of(spec.commandLine().getOut()), report);
    return report;
  }

  private static WarehouseClient open(WarehouseSettings settings) {
    try {
      return Warehouses.open(settings);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** A webhook that fails is reported, never fatal: the exit code already says whether jobs failed. */
  private void alert(AlertWebhook webhook, StabilityReport report) {
    webhook.post(report.alertText()).ifPresentOrElse(why -> {
      PrintWriter err = PrintableWriter.of(spec.commandLine().getErr());
      err.println("observes: alert not sent: " + why + "; check " + WEBHOOK
          + " and the channel's integration (the jobs above are in the output and the run log).");
      err.flush();
    }, () -> {
      PrintableWriter.of(spec.commandLine().getOut()).println("alert posted to the webhook in " + WEBHOOK + ".");
      spec.commandLine().getOut().flush();
    });
  }

  static void print(PrintWriter out, StabilityReport report) {
    List<FailedJob> jobs = report.jobs();
    if (jobs.isEmpty()) {
      out.println("No " + (report.scope().includeCancelled() ? "failed or cancelled" : "failed") + " jobs.");
    } else {
      int nameWidth = Math.max("JOB NAME".length(), jobs.stream().mapToInt(j -> j.jobName().length()).max().orElse(0));
      int idWidth = Math.max("JOB ID".length(), jobs.stream().mapToInt(j -> j.jobId().length()).max().orElse(0));
      String format = "%-" + nameWidth + "s  %-" + idWidth + "s  %-24s  %9s  %-20s  %s%n";
      out.printf(format, "JOB NAME", "JOB ID", "CLASS", "EXIT CODE", "STOPPED AT", "STATUS REASON");
      for (FailedJob job : jobs) {
        out.printf(format, job.jobName(), job.jobId(), job.failureClass(), job.exitCode() == null ? "-" : job.exitCode(),
            job.stoppedAt() == null ? "-" : job.stoppedAt().truncatedTo(ChronoUnit.SECONDS), job.reason());
      }
    }
    String hint = !report.scope().includeCancelled() && report.cancelledLeftOut() > 0 ? " (add --cancelled to list them)" : "";
    out.println(report.summary() + hint + ".");
    out.flush();
  }
}
