package io.observes.etl.dynamo;

import io.observes.config.ConfigException;
import io.observes.pipeline.LeaseGuard;
import io.observes.pipeline.Pipeline;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.load.Publisher;
import io.observes.state.LeaseHeldException;
import io.observes.state.RunLease;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One incremental refresh of the dynamo tables: under the ETL's run lease, the incremental exports
 * from the warehouse's point (the state's {@code incremental_applied_to}) to now, applied as one
 * versioned merge; the point moves only after the commit, so a run that dies is repeated from the
 * same point (the same windows: the same exports, by their client tokens).
 */
public final class IncrementalRun {
  /** How a run ended. */
  public sealed interface Outcome permits Skipped, NothingToApply, Applied {}

  /** Another run holds the lease (the nightly refresh, or another incremental run): nothing moved. */
  public record Skipped(String why) implements Outcome {}

  /** The warehouse holds the table as of less than one window ago. */
  public record NothingToApply(Instant asOf) implements Outcome {}

  /** The changes of {@code windows} windows, committed: the warehouse holds the table as of {@code asOf}. */
  public record Applied(RunId run, long changes, int items, long deletions, int windows, Instant asOf,
      Publisher.Published published) implements Outcome {}

  private final DynamoEtl etl;
  private final TableExports.Wait wait;
  private final TableExports.Pause pause;
  private final Clock clock;
  private final Consumer<String> progress;

  /** {@code progress} hears each export started and each wait, as they happen. */
  public IncrementalRun(DynamoEtl etl, TableExports.Wait wait, TableExports.Pause pause, Clock clock,
      Consumer<String> progress) {
    this.etl = Objects.requireNonNull(etl, "etl");
    this.wait = Objects.requireNonNull(wait, "wait");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Runs {@code run}, holding the lease as {@code holder} (a Batch retry of the same job takes it over at once). */
  public Outcome run(String holder, RunId run) {
    RunLease lease;
    try {
      lease = etl.lease(holder, clock);
    } catch (LeaseHeldException held) {
      return new Skipped(held.getMessage());
    }
    try (lease) {
      return apply(lease, run);
    }
  }

  private Outcome apply(RunLease lease, RunId given) {
    RunId run = given;
    Instant from = etl.exportState().appliedTo().orElseThrow(() -> new ConfigException("the warehouse was never loaded "
        + "from a full export (" + etl.exportState().where() + " has no incremental_applied_to): run 'observes etl "
        + "dynamo export' and a refresh from it (phase1 --source export to phase4, or 'submit --source export') first; "
        + "incremental runs start from its time"));
    List<IncrementalWindows.Window> windows = IncrementalWindows.plan(from, clock.instant());
    if (windows.isEmpty()) {
      return new NothingToApply(from);
    }
    TableExports exports = etl.exports();
    List<IncrementalExport> done = new ArrayList<>();
    for (IncrementalWindows.Window window : windows) {
      String arn = exports.startIncremental(window, etl.dataBucket(), DynamoEtl.EXPORT_PREFIX).exportArn();
      progress.accept("Incremental export " + arn.substring(arn.lastIndexOf('/') + 1) + ": " + window.from() + " to "
          + window.to());
      done.add(exports.awaitIncremental(arn, window, wait, pause, clock, progress));
    }
    IncrementalRecords records = etl.incrementalRecords();
    long changes = 0;
    for (IncrementalExport export : done) {
      for (ExportManifest.DataFile file : etl.manifest(export).files()) {
        try (var lines = etl.changes(file)) {
          changes += lines.peek(records::add).count();
        }
      }
    }
    Instant asOf = windows.get(windows.size() - 1).to();
    LeaseGuard guard = LeaseGuard.of(lease);
    Pipeline pipeline = etl.incremental;
    if (pipeline.firstStaged(run, 1).isPresent()) {
      // An earlier attempt of this run (a Batch retry keeps OBSERVES_RUN_ID) staged, maybe merged, the
      // changes up to its own "now", not ours: kept, its staging would let the state advance past the
      // changes since. This attempt stages and merges under its own id; re-applying is safe.
      RunId attempt = new RunId(run.value() + "." + RunId.unique(clock.instant()).value());
      progress.accept("Run " + run + " was attempted before (it staged changes up to an earlier time): this attempt is run "
          + attempt + ".");
      run = attempt;
    }
    var base = pipeline.baseSchema();
    pipeline.stage(run, Segment.only(), records.records(), base, n -> { }, false);
    pipeline.prepare(run, 1, base, false, guard);
    pipeline.load(run, 1, Optional.empty());
    Publisher.Published published = pipeline.publishTables(run, 1, guard, asOf).value();
    // Only now, after the commit: a run that died before it is repeated from the same point.
    lease.verifyHeld();
    etl.exportState().applied(asOf, run.value(), clock.instant());
    return new Applied(run, changes, records.size(), records.deletions(), windows.size(), asOf, published);
  }
}
