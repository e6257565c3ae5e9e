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
 * The dynamo commands that are a whole by themselves: {@code determine-schema} (the weekly schema
 * scan), {@code run} (every phase in one process) and {@code submit} (the refresh chain to AWS Batch).
 */
final class DynamoWholeCommands {
  private DynamoWholeCommands() {}

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
        SchemaInference.Result result = DynamoCommand.scanning("determine-schema", counters -> job.pipeline.determineSchema(run, segments,
            concurrency, i -> job.source.read(new Segment(i, segments), Optional.empty(), counters).records(), job.pipeline.baseSchema()));
        PrintWriter out = parent.spec.commandLine().getOut();
        out.printf("Schema of %d tables written to the cache.%n", result.schema().tables().size());
        DynamoCommand.printStreams(out, result.streams());
      }
      return 0;
    }
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
        SegmentedRun.Report report = DynamoCommand.scanning("scan", counters -> new SegmentedRun(job.pipeline, threads,
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
      DynamoCommand.printRows(out, report.rows());
      DynamoCommand.printStreams(out, report.streams());
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
      out.printf(java.util.Locale.ROOT, "Profiling the published tables (part of publish, one read each at most): %.2f s, %.1f%% of the "
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
