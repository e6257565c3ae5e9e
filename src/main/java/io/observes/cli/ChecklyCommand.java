package io.observes.cli;

import io.observes.etl.checkly.ChecklyApi;
import io.observes.etl.checkly.ChecklySource;
import io.observes.http.ApiClient;
import io.observes.text.PrintableWriter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code observes etl checkly}: the Checkly account's checks, groups, statuses and alert channels
 * (replaced) and every check's results since the last run (merged) into {@code checkly}
 * (LEGACY.md §4).
 */
@Command(name = "checkly", mixinStandardHelpOptions = true,
    description = {"Checkly checks, check groups, check statuses and alert channels (replaced each run), and every check's",
        "results since the last run, one walk of v2's nextId cursor per check (merged); with --reports yesterday's report",
        "of every check.",
        "Checkly: OBSERVES_CHECKLY_URL (default https://api.checklyhq.com), OBSERVES_CHECKLY_API_KEY, OBSERVES_CHECKLY_ACCOUNT."})
final class ChecklyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--reports", description = "Also load yesterday's (UTC) report of every check into check_reports.")
  boolean reports;

  @Option(names = "--look-back-hours", defaultValue = "720",
      description = "How far back a first run (no state yet) reads results, at most 720 (30 days, what Checkly keeps; "
          + "default: ${DEFAULT-VALUE}).")
  long lookBackHours;

  @Option(names = "--dry-run", description = "Fetch and stage, print what would be loaded; touch neither the warehouse nor the state.")
  boolean dryRun;

  @Option(names = "--target-schema", defaultValue = "checkly", description = "Warehouse schema (default: ${DEFAULT-VALUE}).")
  String targetSchema;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    ChecklySource.Settings settings;
    try {
      settings = new ChecklySource.Settings(Duration.ofHours(lookBackHours), reports);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--look-back-hours: " + e.getMessage());
    }
    ApiClient api = new ApiClient(ChecklyApi.settings(context.environment(), context.retries()), ApiClient.defaultHttpClient(),
        context.clock());
    ChecklySource source = new ChecklySource(api, settings, context.clock());
    PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
    try (ApiEtl etl = new ApiEtl(context.environment(), context.clock())) {
      ApiEtlOutput.run(etl, source, targetSchema, dryRun, out);
    }
    return 0;
  }
}
