package io.observes.cli;

import io.observes.batch.JobSpec;
import io.observes.warehouse.WarehouseConfig;
import io.observes.jobs.quality.ProfileView;
import io.observes.text.PrintableWriter;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code observes profile}: the latest profile of a job's tables and their history, from the run log. */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = {"The profiles a job's publishes recorded (observes_meta.table_profiles, column_profiles): per table",
        "its latest rows, distinct keys, orphans and each column's type, NULLs and lineage, then its history; per run the",
        "time the profiling reads took. COUNTS says where rows and NULLs came from: 'staged' (the files a swap published, ",
        "keys and orphans still read from the table) or 'scanned'."})
final class ProfileCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin QualityCommands.Options options;

  @Option(names = "--job", required = true,
      description = "A catalogue job (e.g. dynamo-phase4, gitlab) or a run-log job (e.g. dynamodb).")
  String job;

  @Option(names = "--table", description = "Only this warehouse table.")
  String table;

  @Option(names = "--json", description = "One JSON object (runs, tables with latest profile and history), for machines.")
  boolean json;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    Instant now = context.clock().instant();
    Instant since = QualityCommands.since(spec, options, now);
    // A catalogue job reads as the run-log job it records as; any other name is taken as a run-log job.
    String logJob = CatalogueOptions.load(options.catalogue).job(job).map(JobSpec::health).map(h -> h.logJob()).orElse(job);
    ProfileView view;
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(context.environment(), options.warehouseUrl))) {
      warehouse.runLog().ensure();
      view = new ProfileView(logJob, warehouse.runLog().profiles(logJob, since, Optional.ofNullable(table)));
    }
    if (json) {
      view.printJson(spec.commandLine().getOut());
    } else {
      view.print(PrintableWriter.of(spec.commandLine().getOut()));
    }
    return 0;
  }
}
