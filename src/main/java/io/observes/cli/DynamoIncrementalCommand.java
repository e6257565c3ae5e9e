package io.observes.cli;

import io.observes.etl.dynamo.DynamoEtl;

import io.observes.config.ConfigException;
import io.observes.etl.dynamo.ExportManifest;
import io.observes.etl.dynamo.IncrementalExport;
import io.observes.etl.dynamo.IncrementalRecords;
import io.observes.etl.dynamo.IncrementalWindows;
import io.observes.etl.dynamo.IncrementalWindows.Window;
import io.observes.etl.dynamo.TableExports;
import io.observes.pipeline.LeaseGuard;
import io.observes.pipeline.Pipeline;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRun;
import io.observes.pipeline.load.Publisher;
import io.observes.state.LeaseHeldException;
import io.observes.state.RunLease;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code observes etl dynamo incremental}: under the ETL's run lease, the incremental exports from
 * where the warehouse is (the state's last applied window, or the last full export's time) to now,
 * applied as one versioned merge (one transaction); the state advances to the last window's end only
 * after that commit, so a run that dies anywhere before is repeated whole by the next one, which
 * re-requests the same windows (same client tokens) and re-applies them safely.
 */
@Command(name = "incremental", mixinStandardHelpOptions = true,
    description = {"Apply the table's changes since the last refresh (DynamoDB incremental exports, 15 min to 24 h each;",
        "needs point-in-time recovery) to the warehouse in one transaction, and advance the state after it."})
final class DynamoIncrementalCommand implements Callable<Integer> {
  @CommandLine.ParentCommand DynamoCommand parent;

  @Option(names = "--poll-seconds", defaultValue = "30", description = "Seconds between two DescribeExport calls "
      + "(default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(names = "--wait-minutes", defaultValue = "120", description = "At most how long to wait for each export "
      + "(default: ${DEFAULT-VALUE}).")
  int waitMinutes;

  @Override
  public Integer call() {
    if (pollSeconds < 1 || waitMinutes < 0) {
      throw new ConfigException("--poll-seconds must be at least 1 and --wait-minutes not negative");
    }
    Clock clock = CommandContext.of(parent.spec).clock();
    PrintWriter out = parent.spec.commandLine().getOut();
    RunId run = parent.runOrNew();
    try (DynamoEtl job = parent.open()) {
      RunLease lease;
      try {
        lease = job.lease(SourceRun.leaseHolder(parent.env().get("AWS_BATCH_JOB_ID"), run.value()), clock);
      } catch (LeaseHeldException held) {
        // A full refresh (or another incremental run) is working: expected hourly during the nightly
        // refresh, so not a failure. Nothing moved; the next run applies these changes.
        out.printf("Skipped: %s%nNothing was applied and the state did not move: the next run applies these "
            + "changes ('observes check' watches the tables' freshness).%n", held.getMessage());
        out.flush();
        return 0;
      }
      try (lease) {
        return apply(job, lease, run, clock, out);
      }
    }
  }

  private int apply(DynamoEtl job, RunLease lease, RunId given, Clock clock, PrintWriter out) {
    RunId run = given;
    Instant from = job.exportState().appliedTo().orElseThrow(() -> new ConfigException("the warehouse was never loaded "
        + "from a full export (" + job.exportState().where() + " has no incremental_applied_to): run 'observes etl "
        + "dynamo export' and a refresh from it (phase1 --source export to phase4, or 'submit --source export') first; "
        + "incremental runs start from its time"));
    List<Window> windows = IncrementalWindows.plan(from, clock.instant());
    if (windows.isEmpty()) {
      out.printf("Nothing to apply: the warehouse holds the table as of %s, less than 15 minutes ago.%n", from);
      out.flush();
      return 0;
    }
    TableExports exports = job.exports();
    TableExports.Wait wait = new TableExports.Wait(Duration.ofSeconds(pollSeconds), Duration.ofMinutes(waitMinutes));
    List<IncrementalExport> done = new ArrayList<>();
    for (Window window : windows) {
      String arn = exports.startIncremental(window, job.dataBucket(), DynamoEtl.EXPORT_PREFIX).exportArn();
      out.printf("Incremental export %s: %s to %s%n", arn.substring(arn.lastIndexOf('/') + 1), window.from(), window.to());
      out.flush();
      done.add(exports.awaitIncremental(arn, window, wait, d -> Thread.sleep(d.toMillis()), clock, line -> {
        out.println(line);
        out.flush();
      }));
    }
    IncrementalRecords records = job.incrementalRecords();
    long changes = 0;
    for (IncrementalExport export : done) {
      ExportManifest manifest = job.manifest(export);
      for (ExportManifest.DataFile file : manifest.files()) {
        try (var lines = job.changes(file)) {
          changes += lines.peek(records::add).count();
        }
      }
    }
    Instant asOf = windows.get(windows.size() - 1).to();
    LeaseGuard guard = LeaseGuard.of(lease);
    Pipeline pipeline = job.incremental;
    if (pipeline.firstStaged(run, 1).isPresent()) {
      // An earlier attempt of this run (a Batch retry keeps OBSERVES_RUN_ID) staged, maybe merged, the
      // changes up to its own "now", not ours: kept, its staging would let the state advance past the
      // changes since. This attempt stages and merges under its own id; re-applying is safe.
      RunId attempt = new RunId(run.value() + "." + RunId.unique(clock.instant()).value());
      out.printf("Run %s was attempted before (it staged changes up to an earlier time): this attempt is run %s.%n",
          run, attempt);
      out.flush();
      run = attempt;
    }
    var base = pipeline.baseSchema();
    pipeline.stage(run, Segment.only(), records.records(), base, n -> { }, false);
    pipeline.prepare(run, 1, base, false, guard);
    pipeline.load(run, 1, Optional.empty());
    Publisher.Published published = pipeline.publishTables(run, 1, guard, asOf).value();
    // Only now, after the commit: a run that died before it is repeated from the same point.
    lease.verifyHeld();
    job.exportState().applied(asOf, run.value(), clock.instant());
    out.printf("Applied %,d changes (%,d items, %,d deleted) from %d window(s) to %s (run %s): the warehouse holds the "
        + "table as of %s.%n", changes, records.size(), records.deletions(), windows.size(),
        pipeline.target().schema(), run, asOf);
    // Versioned root rows are replaced whole (updated) or taken away (deleted); child rows go and come with their root.
    out.printf("  %-56s %10s %10s %10s %10s%n", "table", "staged", "inserted", "updated", "deleted");
    published.tables().forEach(t -> out.printf("  %-56s %,10d %,10d %,10d %,10d%n", t.name(), t.rows(),
        t.changes().inserted(), t.changes().updated(), t.changes().deleted()));
    out.flush();
    return 0;
  }
}
