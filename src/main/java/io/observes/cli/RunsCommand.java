package io.observes.cli;

import io.observes.config.WarehouseConfig;
import io.observes.warehouse.RunSummary;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code observes runs}: the newest rows of the run log. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List recent runs from the run log (observes_meta.runs).")
final class RunsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--job", description = "Only runs of this job (ETL name), e.g. dynamodb.")
  String job;

  @Option(names = "--limit", defaultValue = "20", description = "How many rows (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--warehouse-url", description = "JDBC URL; default: OBSERVES_WAREHOUSE_URL.")
  String warehouseUrl;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(CommandContext.of(spec).environment(), warehouseUrl))) {
      warehouse.ensureRunLog();
      print(spec.commandLine().getOut(), warehouse.recentRuns(job, limit));
    }
    return 0;
  }

  static void print(PrintWriter out, List<RunSummary> runs) {
    if (runs.isEmpty()) {
      out.println("No runs recorded yet.");
      return;
    }
    out.printf("%-20s %-22s %-10s %7s %-20s %-20s %-10s %s%n", "JOB", "RUN", "PHASE", "SEGMENT", "STARTED", "FINISHED", "STATUS", "ERROR");
    for (RunSummary r : runs) {
      out.printf("%-20s %-22s %-10s %7s %-20s %-20s %-10s %s%n", r.job(), r.run(), r.phase(),
          r.segment() == null ? "-" : r.segment(), r.started().toString().substring(0, 19),
          r.finished() == null ? "-" : r.finished().toString().substring(0, 19), r.status(),
          r.error() == null ? "" : r.error());
    }
    out.flush();
  }
}
