package io.observes.cli;

import io.observes.alert.AlertWebhook;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.jobs.quality.Finding;
import io.observes.jobs.quality.HealthChecks;
import io.observes.jobs.quality.PipelineHistory;
import io.observes.pipeline.RunId;
import io.observes.pipeline.RunLog;
import io.observes.warehouse.WarehouseConfig;
import io.observes.text.PrintableWriter;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code observes check}: the data-quality checks of every pipeline (or one) from the run log; one
 * line per failing check, exit 1 when any fails, and an alert to the webhook listing them.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check every pipeline of the catalogue from the run log: freshness against its SLA, a failed or lost last",
        "run, row counts against the median of recent runs, rejected values; and each table's profile: schema changes,",
        "NULL drift, repeated keys, orphans, growth. Exit 1 when a check fails; failures and warnings alert",
        "OBSERVES_ALERT_WEBHOOK. Thresholds: checks: in etl-jobs/ (docs/observability.md)."})
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin QualityCommands.Options options;

  @Option(names = "--job", description = "Only this catalogue job.")
  String job;

  @Option(names = "--all", description = "Print the checks that pass too.")
  boolean all;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    Environment env = context.environment();
    Instant now = context.clock().instant();
    Instant since = QualityCommands.since(spec, options, now);
    var jobs = QualityCommands.jobs(options, job);
    List<Finding> findings = new ArrayList<>();
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(env, options.warehouseUrl))) {
      new RunLog(warehouse, context.clock(), RunOrigin.from(env.variables()), null, io.observes.pipeline.JobTimes.heartbeat(env))
          .phase("check", RunId.unique(now), "check", null, () -> {
            List<PipelineHistory> histories = new io.observes.jobs.quality.HistoryReader(warehouse).read(jobs, since, now);
            histories.forEach(h -> findings.addAll(HealthChecks.of(h, now)));
            return new RunLog.Outcome<>(null, List.of());
          });
    }
    List<Finding> failing = findings.stream().filter(f -> !f.passed()).toList();
    // Failures first, then warnings: what the alert and the terminal show.
    List<Finding> notable = new ArrayList<>(failing);
    findings.stream().filter(Finding::warning).forEach(notable::add);
    PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
    (all ? findings : notable).forEach(f -> out.println(f.line()));
    out.printf("%d check(s) of %d pipeline(s): %d failing, %d warning(s).%n", findings.size(), jobs.size(), failing.size(),
        notable.size() - failing.size());
    out.flush();
    if (!notable.isEmpty()) {
      AlertWebhook.from(env, context.retries(), ApiClient.defaultHttpClient(), context.clock()).ifPresent(w -> {
        StringBuilder text = new StringBuilder(":warning: observes check: " + failing.size() + " failing check(s)"
            + (notable.size() > failing.size() ? ", " + (notable.size() - failing.size()) + " warning(s)" : ""));
        notable.stream().limit(20).forEach(f -> text.append("\n• ").append(f.passed() ? "(warning) " : "").append(f.job())
            .append(" ").append(f.check()).append(": ").append(f.message()));
        w.post(text.toString()).ifPresent(why -> {
          PrintableWriter.of(spec.commandLine().getErr()).println("observes: alert not sent: " + why);
          spec.commandLine().getErr().flush();
        });
      });
    }
    return failing.isEmpty() ? 0 : ErrorHandler.FAILED;
  }
}
