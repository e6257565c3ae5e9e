package io.observes.cli;

import io.observes.etl.dynamo.DynamoEtl;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.etl.dynamo.DynamoSource;
import io.observes.etl.dynamo.ExportState;
import io.observes.etl.dynamo.TableExport;
import io.observes.pipeline.LeaseGuard;
import io.observes.pipeline.PhaseResult;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SchemaInference;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SegmentedRun;
import io.observes.pipeline.StreamSummary;
import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.Manifest;
import io.observes.state.RunLease;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code observes etl dynamo}: the platform's DynamoDB table into the warehouse, as separate phases
 * (one AWS Batch job each, segmented phases one node per segment) or all at once ({@code run}).
 */
@Command(name = "dynamo", mixinStandardHelpOptions = true,
    description = {"The platform's DynamoDB table (single-table design) into the warehouse schema 'dynamodb'.",
        "Phases: phase1 stages a segment to S3, phase2 prepares the staging schema, phase3 loads a segment,",
        "phase4 verifies and publishes. All phases of one refresh share one --run-id."},
    subcommands = {DynamoWholeCommands.DetermineSchema.class, DynamoExportCommand.class, DynamoIncrementalCommand.class,
        DynamoPhaseCommands.Phase1.class, DynamoPhaseCommands.Phase2.class, DynamoPhaseCommands.Phase3.class,
        DynamoPhaseCommands.Phase4.class, DynamoWholeCommands.Run.class, DynamoWholeCommands.Submit.class})
final class DynamoCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--table", scope = ScopeType.INHERIT,
      description = "DynamoDB table (default: env OBSERVES_DYNAMO_TABLE, else integrates_vms).")
  String table;

  @Option(names = "--target-schema", scope = ScopeType.INHERIT, defaultValue = "dynamodb",
      description = "Warehouse schema to publish (default: ${DEFAULT-VALUE}); loaded via <schema>_loading.")
  String targetSchema;

  @Option(names = "--routes", scope = ScopeType.INHERIT,
      description = "Routing file mapping items to tables (default: env OBSERVES_DYNAMO_ROUTES, else the bundled "
          + "etl-jobs/dynamo-tables.yaml).")
  String routes;

  @Option(names = "--run-id", scope = ScopeType.INHERIT,
      description = "Id shared by every phase of one refresh (default: env OBSERVES_RUN_ID).")
  String runId;

  @Option(names = "--page-size", scope = ScopeType.INHERIT, defaultValue = "1000",
      description = "Items per Scan page (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(names = "--max-read-units", scope = ScopeType.INHERIT, defaultValue = "0",
      description = "Read capacity units per second per segment; 0 = no limit (default: ${DEFAULT-VALUE}).")
  double maxReadUnits;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a phase; see 'observes etl dynamo --help'");
  }

  Environment env() {
    return CommandContext.of(spec).environment();
  }

  /** Flags win; unset ones come from the environment the command was given. */
  DynamoEtl open() {
    DynamoEtl.Options options = new DynamoEtl.Options(
        table != null ? table : env().getOrDefault("OBSERVES_DYNAMO_TABLE", "integrates_vms"),
        targetSchema,
        routes != null ? routes : env().get("OBSERVES_DYNAMO_ROUTES").orElse(null),
        pageSize,
        maxReadUnits);
    return new DynamoEtl(env(), CommandContext.of(spec).clock(), options);
  }

  RunId requireRun() {
    return optionalRun().orElseThrow(() ->
        new ConfigException("pass --run-id (or OBSERVES_RUN_ID): every phase of one refresh must use the same id"));
  }

  /** The given run id, else a fresh one from the clock (for commands that are a whole run by themselves). */
  RunId runOrNew() {
    return optionalRun().orElseGet(() -> RunId.startingAt(CommandContext.of(spec).clock().instant()));
  }

  private Optional<RunId> optionalRun() {
    String value = runId != null ? runId : env().get("OBSERVES_RUN_ID").orElse(null);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(runId(value));
  }

  static RunId runId(String value) {
    try {
      return new RunId(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** Runs a scan with its progress shown while it lasts. */
  static <T> T scanning(String what, Function<ReadProgress, T> work) {
    ReadProgress counters = new ReadProgress();
    try (Progress progress = new Progress(what, counters)) {
      return work.apply(counters);
    }
  }

  static void printRows(PrintWriter out, Map<String, Long> rows) {
    rows.forEach((table, n) -> out.printf("  %-60s %,12d rows%n", table, n));
    out.flush();
  }

  /** The entity types found: one table each, its items and columns, and its child tables. */
  static void printStreams(PrintWriter out, List<StreamSummary> streams) {
    out.printf("Facets found (%d tables):%n  %-48s %10s %8s %6s%n", streams.size(), "table", "items", "columns", "lists");
    streams.forEach(s -> out.printf("  %-48s %,10d %8d %6d%n", s.table(), s.records(), s.columns(), s.childTables()));
    out.flush();
  }

  /** Prints what a rerun found already done, and says whether it did. */
  static boolean alreadyDone(PrintWriter out, PhaseResult<?> result) {
    result.alreadyDone().ifPresent(note -> {
      out.println("Nothing to do: " + note + ".");
      out.flush();
    });
    return result.alreadyDone().isPresent();
  }

  /** The run's number of segments: from its manifests, cross-checked with the flag when given. */
  static int totalSegments(DynamoEtl job, RunId run, Optional<Integer> given) {
    try {
      return job.pipeline.totalSegments(run, given);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}
