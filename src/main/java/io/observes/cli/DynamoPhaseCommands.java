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
 * The phases of one full refresh of {@code observes etl dynamo}, one AWS Batch job each (segmented
 * phases one node per segment), all under the refresh's run lease: each parses its options, calls
 * the pipeline's phase and prints what it did.
 */
final class DynamoPhaseCommands {
  private DynamoPhaseCommands() {}

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
          PhaseResult<Optional<Manifest>> staged = DynamoCommand.scanning("phase1 segment " + segment, counters ->
              job.pipeline.stage(run, segment, read.read(segment, Optional.empty(), counters).records(), job.pipeline.baseSchema(), n -> {}, restage,
                  counters::activity));
          PrintWriter out = parent.spec.commandLine().getOut();
          if (DynamoCommand.alreadyDone(out, staged) || staged.value().isEmpty()) {
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
        int total = DynamoCommand.totalSegments(job, run, given);
        RunLease lease = job.refreshLease(run);
        PhaseResult<Schema> prepared = job.pipeline.prepare(run, total, job.pipeline.baseSchema(), force,
            LeaseGuard.of(lease));
        PrintWriter out = parent.spec.commandLine().getOut();
        if (!DynamoCommand.alreadyDone(out, prepared)) {
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
        int total = DynamoCommand.totalSegments(job, run, given);
        Runnable load = () -> {
          job.refreshLease(run);
          PhaseResult<List<TableLoader.TableResult>> results = job.pipeline.load(run, total, segment.map(Segment::index));
          PrintWriter out = parent.spec.commandLine().getOut();
          if (!DynamoCommand.alreadyDone(out, results)) {
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
        int total = DynamoCommand.totalSegments(job, run, given);
        RunLease lease = job.refreshLease(run);
        // A run read from an export holds the table as of the export's time: freshness counts from it.
        Instant asOf = job.pin(run).read().map(TableExport::exportTime).orElse(null);
        PhaseResult<Map<String, Long>> rows = job.pipeline.publish(run, total, LeaseGuard.of(lease), asOf);
        PrintWriter out = parent.spec.commandLine().getOut();
        if (rows.alreadyDone().isEmpty()) {
          DynamoPhaseCommands.refreshed(job, run, total, lease, Optional.ofNullable(asOf), out);
        }
        lease.release(); // the refresh is over: incremental runs may start

        if (!DynamoCommand.alreadyDone(out, rows)) {
          out.printf("Published %s (run %s):%n", job.pipeline.target().schema(), run);
          DynamoCommand.printRows(out, rows.value());
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
}
