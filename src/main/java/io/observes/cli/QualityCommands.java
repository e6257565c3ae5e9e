package io.observes.cli;

import io.observes.batch.JobCatalogue;
import io.observes.batch.JobSpec;
import io.observes.config.ConfigException;
import io.observes.warehouse.WarehouseConfig;
import io.observes.jobs.quality.HistoryReader;
import io.observes.jobs.quality.PipelineHistory;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What {@code observes report} and {@code observes check} share: the catalogue, the window, the histories. */
final class QualityCommands {
  private QualityCommands() {}

  /** {@code --catalogue}, {@code --since}, {@code --warehouse-url}. */
  static final class Options {
    @Option(names = "--catalogue", description = "Job catalogue directory (default: the etl-jobs/ bundled in the jar).")
    Path catalogue;

    @Option(names = "--since", defaultValue = "30d", description = "The window of the run log read, e.g. 30d, 12h (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--warehouse-url", description = "JDBC URL; default: OBSERVES_WAREHOUSE_URL.")
    String warehouseUrl;
  }

  static List<JobSpec> jobs(Options options, String only) {
    JobCatalogue catalogue = CatalogueOptions.load(options.catalogue);
    if (only == null) {
      return catalogue.jobs();
    }
    try {
      return List.of(catalogue.require(only));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  static Instant since(CommandLine.Model.CommandSpec spec, Options options, Instant now) {
    return now.minus(SinceOption.parse(spec, "--since", options.since));
  }

  static List<PipelineHistory> histories(CommandContext context, Options options, List<JobSpec> jobs, Instant since, Instant now) {
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(context.environment(), options.warehouseUrl))) {
      return new HistoryReader(warehouse).read(jobs, since, now);
    }
  }
}
