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
    subcommands = {DynamoCommand.DetermineSchema.class, DynamoExportCommand.class, DynamoIncrementalCommand.class, DynamoCommand.Phase1.class, DynamoCommand.Phase2.class,
        DynamoCommand.Phase3.class, DynamoCommand.Phase4.class, DynamoCommand.Run.class, DynamoCommand.Submit.class})
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

  @Command(name = "determine-schema", mixinStandardHelpOptions = true,
      description = "Scan the whole table in parallel, infer the data-schemas and write them to the schema cache.")
  static final class DetermineSchema implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;

    @Option(names = "--segments", defaultValue = "1000", description = "Parallel-scan segments (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--concurrency", defaultValue = "16", description = "Segments scanned at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
      SegmentOptions.requireTotal("--segments", segments);
      if (concurrency < 1) {
        throw new ConfigException("--concurrency must be at least 1");
      }
      RunId run = parent.runOrNew();
      try (DynamoEtl job = parent.open()) {
        SchemaInference.Result result = scanning("determine-schema", counters -> job.pipeline.determineSchema(run, segments,
            concurrency, i -> job.source.read(new Segment(i, segments), Optional.empty(), counters).records(), job.pipeline.baseSchema()));
        PrintWriter out = parent.spec.commandLine().getOut();
        out.printf("Schema of %d tables written to the cache.%n", result.schema().tables().size());
        printStreams(out, result.streams());
      }
      return 0;
    }
  }

  @Command(name = "phase1", mixinStandardHelpOptions = true,
      description = "Read one segment (a parallel-Scan segment, or its share of an export's files) and stage it to S3 (zstd CSV parts + manifest).")
  static final class Phase1 implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;
    @Mixin SegmentOptions segments;

    @Option(names = "--restage", description = "Stage the segment again even if the run has it staged already.")
    boolean restage;

    @Option(names = "--source", description = {"scan: a parallel Scan of the table; export: the data files of a completed "
        + "export (no read capacity, one snapshot).", "Default: env OBSERVES_DYNAMO_SOURCE, else export when the run has "
        + "an export pinned (by 'export' or an earlier segment), else scan."})
    String source;

    @Option(names = "--export-id", description = "The completed export to read (id or ARN; implies --source export). "
        + "Default: the run's pinned export, else the last one 'export' recorded in the ETL's state.")
    String exportId;

    @Override
    public Integer call() {
      RunId run = parent.requireRun();
      Segment segment = segments.resolve(parent.env());
      Optional<String> flag = Optional.ofNullable(source).or(() -> Optional.ofNullable(exportId).map(id -> "export"));
      try (DynamoEtl job = parent.open()) {
        job.coordination(parent.spec.commandLine().getOut(), run).run("phase1", segment, () -> {
          job.refreshLease(run); // before reading: no incremental run applies meanwhile
          DynamoSource read = DynamoExportCommand.phase1Source(job, run, flag, Optional.ofNullable(exportId),
              parent.env().get("OBSERVES_DYNAMO_SOURCE"), parent.spec.commandLine().getOut());
          PhaseResult<Optional<Manifest>> staged = scanning("phase1 segment " + segment, counters ->
              job.pipeline.stage(run, segment, read.read(segment, Optional.empty(), counters).records(), job.pipeline.baseSchema(), n -> {}, restage,
                  counters::activity));
          PrintWriter out = parent.spec.commandLine().getOut();
          if (alreadyDone(out, staged) || staged.value().isEmpty()) {
            return;
          }
          Manifest manifest = staged.value().get();
          out.printf("Staged segment %s of run %s: %,d items, %,d values rejected.%n", segment, run, manifest.records(),
              manifest.rejected());
          manifest.tables().forEach(t -> out.printf("  %-50s %,12d rows%n", t.key(), t.rows()));
          out.flush();
        });
      }
      return 0;
    }
  }

  @Command(name = "phase2", mixinStandardHelpOptions = true,
      description = "Create a pristine staging schema from the cached schema widened by every segment's manifest "
          + "(the segments are counted from the run's manifests).")
  static final class Phase2 implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;
    @Mixin SegmentOptions segments;

    @Option(names = "--force", description = "Prepare a pristine staging schema even if this run's is already prepared "
        + "from the same staged segments (its loads are dropped).")
    boolean force;

    @Override
    public Integer call() {
      RunId run = parent.requireRun();
      Optional<Integer> given = segments.given(parent.env()); // a bad count is refused before anything opens
      try (DynamoEtl job = parent.open()) {
        int total = totalSegments(job, run, given);
        RunLease lease = job.refreshLease(run);
        PhaseResult<Schema> prepared = job.pipeline.prepare(run, total, job.pipeline.baseSchema(), force,
            LeaseGuard.of(lease));
        PrintWriter out = parent.spec.commandLine().getOut();
        if (!alreadyDone(out, prepared)) {
          out.printf("Prepared %s with %d tables for run %s (%d segments).%n", job.pipeline.target().staging(),
              prepared.value().tables().size(), run, total);
          out.flush();
        }
      }
      return 0;
    }
  }

  @Command(name = "phase3", mixinStandardHelpOptions = true,
      description = {"Load every table of the run into the staging schema, each with one COPY of its files of all segments",
          "(a table loaded before is skipped). With --segment (or as a Batch node), only the tables that segment staged."})
  static final class Phase3 implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;
    @Mixin SegmentOptions segments;

    @Override
    public Integer call() {
      RunId run = parent.requireRun();
      Optional<Segment> segment = segments.resolveIfGiven(parent.env());
      Optional<Integer> given = segment.map(Segment::total).or(() -> segments.given(parent.env()));
      try (DynamoEtl job = parent.open()) {
        int total = totalSegments(job, run, given);
        Runnable load = () -> {
          job.refreshLease(run);
          PhaseResult<List<TableLoader.TableResult>> results = job.pipeline.load(run, total, segment.map(Segment::index));
          PrintWriter out = parent.spec.commandLine().getOut();
          if (!alreadyDone(out, results)) {
            out.printf("Loaded run %s into %s%s: %d tables, %d COPY statements.%n", run, job.pipeline.target().staging(),
                segment.map(s -> " (the tables of segment " + s + ")").orElse(""), results.value().size(),
                results.value().stream().filter(r -> !r.skipped()).mapToInt(TableLoader.TableResult::copies).sum());
          }
          results.value().forEach(r -> out.printf("  %-60s %,12d rows%s%n", r.table(), r.rowsLoaded(),
              r.skipped() ? " (already loaded)" : ""));
          out.flush();
        };
        if (segment.isPresent()) {
          job.coordination(parent.spec.commandLine().getOut(), run).run("phase3", segment.get(), load);
        } else {
          load.run();
        }
      }
      return 0;
    }
  }

  @Command(name = "phase4", mixinStandardHelpOptions = true,
      description = "Verify every segment was staged and loaded completely, then swap staging into the target.")
  static final class Phase4 implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;
    @Mixin SegmentOptions segments;

    @Override
    public Integer call() {
      RunId run = parent.requireRun();
      Optional<Integer> given = segments.given(parent.env()); // a bad count is refused before anything opens
      try (DynamoEtl job = parent.open()) {
        int total = totalSegments(job, run, given);
        RunLease lease = job.refreshLease(run);
        // A run read from an export holds the table as of the export's time: freshness counts from it.
        Instant asOf = job.pin(run).read().map(TableExport::exportTime).orElse(null);
        PhaseResult<Map<String, Long>> rows = job.pipeline.publish(run, total, LeaseGuard.of(lease), asOf);
        PrintWriter out = parent.spec.commandLine().getOut();
        if (rows.alreadyDone().isEmpty()) {
          refreshed(job, run, total, lease, Optional.ofNullable(asOf), out);
        }
        lease.release(); // the refresh is over: incremental runs may start

        if (!alreadyDone(out, rows)) {
          out.printf("Published %s (run %s):%n", job.pipeline.target().schema(), run);
          printRows(out, rows.value());
        }
      }
      return 0;
    }
  }

  /** After a full refresh published: where incremental runs start now, said to the reader. */
  static void refreshed(DynamoEtl job, RunId run, int total, RunLease lease, Optional<Instant> exportTime,
      PrintWriter out) {
    lease.verifyHeld();
    Optional<Instant> from = job.exportState().refreshed(exportTime, lease.holder().acquiredAt(),
        job.pipeline.firstStaged(run, total), run.value(), job.clock().instant());
    out.println(from.map(at -> "Incremental runs start from " + at + (exportTime.isPresent() ? " (the export's time)."
            : " (when this refresh took the lease, less " + ExportState.SCAN_MARGIN.toMinutes() + " minutes)."))
        .orElse("Incremental runs keep starting where they were: a segment of this run was staged before it took "
            + "the lease it holds now, so when its reads began is unknown."));
    out.flush();
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "All phases in this process, the segments on parallel threads (local use, small tables).")
  static final class Run implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;

    @Option(names = "--total-segments", defaultValue = "4", description = "Segments (default: ${DEFAULT-VALUE}).")
    int total;

    @Option(names = "--threads", defaultValue = "4", description = "Segments worked on at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
      SegmentOptions.requireTotal("--total-segments", total);
      if (threads < 1) {
        throw new ConfigException("--threads must be at least 1");
      }
      RunId run = parent.runOrNew();
      try (DynamoEtl job = parent.open()) {
        SegmentedRun.Report report = runAll(job, run, total, threads);
        print(parent.spec.commandLine().getOut(), job, run, report);
      }
      return 0;
    }

    /** Every phase under the refresh's lease, released at the end: no incremental run applies meanwhile. */
    static SegmentedRun.Report runAll(DynamoEtl job, RunId run, int total, int threads) {
      try (RunLease lease = job.refreshLease(run)) {
        SegmentedRun.Report report = scanning("scan", counters -> new SegmentedRun(job.pipeline, threads,
            LeaseGuard.of(lease), () -> 0).run(run, total, i -> job.source.read(new Segment(i, total), Optional.empty(),
            counters).records(), job.pipeline.baseSchema()));
        lease.verifyHeld();
        job.exportState().refreshed(Optional.empty(), lease.holder().acquiredAt(), job.pipeline.firstStaged(run, total),
            run.value(), job.clock().instant());
        return report;
      }
    }

    static void print(PrintWriter out, DynamoEtl job, RunId run, SegmentedRun.Report report) {
      out.printf("Published %s (run %s):%n", job.pipeline.target().schema(), run);
      printRows(out, report.rows());
      printStreams(out, report.streams());
      out.printf("Loaded %d tables with %d COPY statements (%d segments).%n", report.rows().size(), report.copies(),
          report.segments());
      out.println("Phase times:");
      report.phases().forEach((phase, time) -> {
        if (!phase.equals(SegmentedRun.PROFILING)) {
          out.printf("  %-10s %8.1f s%n", phase, time.toMillis() / 1000.0);
        }
      });
      java.time.Duration profiling = report.phases().getOrDefault(SegmentedRun.PROFILING, java.time.Duration.ZERO);
      java.time.Duration load = report.phases().getOrDefault("load", java.time.Duration.ZERO);
      out.printf(java.util.Locale.ROOT, "Profiling the published tables (part of publish, one scan each): %.2f s, %.1f%% of the "
          + "load phase (observes profile --job %s).%n", profiling.toMillis() / 1000.0,
          load.isZero() ? 0.0 : 100.0 * profiling.toMillis() / load.toMillis(), job.pipeline.target().etl());
      out.flush();
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submit the nightly refresh to AWS Batch: phase1 -> phase2 -> phase3 -> phase4 chained with dependsOn, one run id;",
          "with --source export, export -> phase1 (reading that export) -> phase2 -> phase3 -> phase4."})
  static final class Submit implements Callable<Integer> {
    @CommandLine.ParentCommand DynamoCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin CatalogueOptions catalogue;

    @Option(names = "--source", defaultValue = "scan", description = "scan (the table) or export (a DynamoDB export "
        + "made first by the chain's dynamo-export job) (default: ${DEFAULT-VALUE}).")
    String source;

    @Override
    public Integer call() {
      String head = switch (source) {
        case "scan" -> "dynamo-phase1";
        case "export" -> "dynamo-export";
        default -> throw new ConfigException("--source is scan or export, not '" + source + "'");
      };
      BatchCommand.submitChain(spec, catalogue, head, parent.runOrNew().value());
      return 0;
    }
  }
}
