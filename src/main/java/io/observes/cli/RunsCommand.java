package io.observes.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.warehouse.WarehouseConfig;
import io.observes.http.ApiJson;
import io.observes.text.PrintableWriter;
import io.observes.warehouse.RunLogStore;
import io.observes.warehouse.RunQuery;
import io.observes.warehouse.RunSummary;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code observes runs}: the run log, newest first, as a table or JSON. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {"Recent runs from the run log (observes_meta.runs): job, phase, start, duration, status (LOST: stopped",
        "writing its heartbeat without recording an end), rows written / loaded / rejected, the first line of the error."})
final class RunsCommand implements Callable<Integer> {
  private static final Set<String> STATUSES = Set.of("SUCCEEDED", "FAILED", "RUNNING", "LOST");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--job", description = "Only runs of this job (ETL name as the run log has it), e.g. dynamodb, gitlab.")
  String job;

  @Option(names = "--since", description = "Only runs started within this long, e.g. 7d, 12h, 30m.")
  String since;

  @Option(names = "--status", description = "Only runs of this status: succeeded, failed, running, lost.")
  String status;

  @Option(names = "--limit", defaultValue = "50", description = "How many rows at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "One JSON array of the rows, for machines.")
  boolean json;

  @Option(names = "--warehouse-url", description = "JDBC URL; default: OBSERVES_WAREHOUSE_URL.")
  String warehouseUrl;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    String wanted = status == null ? null : status.toUpperCase(Locale.ROOT);
    if (wanted != null && !STATUSES.contains(wanted)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--status must be one of succeeded, failed, running, lost");
    }
    CommandContext context = CommandContext.of(spec);
    Instant now = context.clock().instant();
    Optional<Instant> from = since == null ? Optional.empty() : Optional.of(now.minus(SinceOption.parse(spec, "--since", since)));
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(context.environment(), warehouseUrl))) {
      RunLogStore runLog = warehouse.runLog();
      runLog.ensure();
      List<RunSummary> runs = runLog.runs(new RunQuery(Optional.ofNullable(job), from, Optional.ofNullable(wanted), limit,
          RunQuery.LOST_AFTER), now);
      if (json) {
        printJson(spec.commandLine().getOut(), runs, now); // JSON escapes control characters itself
      } else {
        print(PrintableWriter.of(spec.commandLine().getOut()), runs, now);
      }
    }
    return 0;
  }

  static void print(PrintWriter out, List<RunSummary> runs, Instant now) {
    if (runs.isEmpty()) {
      out.println("No runs recorded for this selection.");
      out.flush();
      return;
    }
    String row = "%-16s %-26s %-14s %-19s %9s %-9s %12s %12s %9s  %s%n";
    out.printf(row, "JOB", "RUN", "PHASE", "STARTED", "DURATION", "STATUS", "WRITTEN", "LOADED", "REJECTED", "ERROR");
    for (RunSummary r : runs) {
      out.printf(Locale.ROOT, row, r.job(), r.run(), r.phase() + (r.segment() == null ? "" : " " + r.segment()),
          r.started().toString().substring(0, 19).replace('T', ' '), duration(r.duration(now)), r.status(),
          String.format(Locale.ROOT, "%,d", r.rowsWritten()), String.format(Locale.ROOT, "%,d", r.rowsLoaded()),
          String.format(Locale.ROOT, "%,d", r.rowsRejected()), abbreviate(r.errorLine()));
    }
    out.flush();
  }

  static void printJson(PrintWriter out, List<RunSummary> runs, Instant now) {
    ArrayNode all = ApiJson.MAPPER.createArrayNode();
    for (RunSummary r : runs) {
      ObjectNode o = all.addObject().put("job", r.job()).put("run", r.run()).put("phase", r.phase());
      if (r.segment() != null) {
        o.put("segment", r.segment());
      }
      o.put("started", r.started().toString()).put("finished", r.finished() == null ? null : r.finished().toString())
          .put("duration_seconds", r.duration(now).toSeconds()).put("status", r.status()).put("rows_written", r.rowsWritten())
          .put("rows_loaded", r.rowsLoaded()).put("rows_rejected", r.rowsRejected()).put("error", r.error())
          .put("target", r.target()).put("batch_job_id", r.origin().batchJob()).put("host", r.origin().host());
      if (r.origin().attempt() != null) {
        o.put("batch_attempt", r.origin().attempt());
      }
    }
    out.println(all.toPrettyString());
    out.flush();
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + " s" : s < 3600 ? String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d h %02d m", s / 3600, (s % 3600) / 60);
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}
