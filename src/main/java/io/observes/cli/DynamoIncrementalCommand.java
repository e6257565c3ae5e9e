package io.observes.cli;

import io.observes.config.ConfigException;
import io.observes.etl.dynamo.DynamoEtl;
import io.observes.etl.dynamo.IncrementalRun;
import io.observes.etl.dynamo.TableExports;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SourceRun;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code observes etl dynamo incremental}: parses its options, runs one {@link IncrementalRun} and
 * prints how it ended.
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
      IncrementalRun.Outcome outcome = new IncrementalRun(job, new TableExports.Wait(Duration.ofSeconds(pollSeconds),
          Duration.ofMinutes(waitMinutes)), d -> Thread.sleep(d.toMillis()), clock, line -> {
            out.println(line);
            out.flush();
          }).run(SourceRun.leaseHolder(parent.env().get("AWS_BATCH_JOB_ID"), run.value()), run);
      print(out, outcome, job.incremental.target().schema());
    }
    return 0;
  }

  private static void print(PrintWriter out, IncrementalRun.Outcome outcome, String schema) {
    // Skipped: a full refresh (or another incremental run) is working, expected hourly during the
    // nightly refresh, so not a failure (exit 0).
    if (outcome instanceof IncrementalRun.Skipped skipped) {
      out.printf("Skipped: %s%nNothing was applied and the state did not move: the next run applies these changes "
          + "('observes check' watches the tables' freshness).%n", skipped.why());
    } else if (outcome instanceof IncrementalRun.NothingToApply nothing) {
      out.printf("Nothing to apply: the warehouse holds the table as of %s, less than 15 minutes ago.%n", nothing.asOf());
    } else if (outcome instanceof IncrementalRun.Applied applied) {
      out.printf("Applied %,d changes (%,d items, %,d deleted) from %d window(s) to %s (run %s): the warehouse holds the "
          + "table as of %s.%n", applied.changes(), applied.items(), applied.deletions(), applied.windows(), schema,
          applied.run(), applied.asOf());
      // Versioned root rows are replaced whole (updated) or taken away (deleted); child rows go and come with their root.
      out.printf("  %-56s %10s %10s %10s %10s%n", "table", "staged", "inserted", "updated", "deleted");
      applied.published().tables().forEach(t -> out.printf("  %-56s %,10d %,10d %,10d %,10d%n", t.name(), t.rows(),
          t.changes().inserted(), t.changes().updated(), t.changes().deleted()));
    }
    out.flush();
  }
}
