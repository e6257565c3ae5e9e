package io.observes.cli;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.warehouse.WarehouseConfig;
import io.observes.etl.code.ComputeBills;
import io.observes.etl.code.PlatformApi;
import io.observes.http.ApiClient;
import io.observes.pipeline.RunId;
import io.observes.storage.S3ObjectStore;
import io.observes.text.PrintableWriter;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes etl compute-bills}: the month's active authors per group, from the code
 * warehouse, as one CSV per group in the platform's bucket (LEGACY.md §7).
 */
@Command(name = "compute-bills", mixinStandardHelpOptions = true,
    description = {"Bill a month: per group active in it, one line per author with a commit first seen that month,",
        "written as <group>.csv to s3://<OBSERVES_BILLS_BUCKET>/continuous-data/bills/YYYY/MM/ (and the day's copy).",
        "Organizations from the platform API: OBSERVES_INTEGRATES_API_URL, token OBSERVES_PLATFORM_API_TOKEN."})
final class ComputeBillsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--month", description = "The month to bill, YYYY-MM (default: the current one, UTC).")
  String month;

  @Option(names = "--code-schema", defaultValue = "code", description = "Schema of the commits table (default: ${DEFAULT-VALUE}).")
  String codeSchema;

  @Option(names = "--dry-run", description = "Compute and print the bills; write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    Environment env = context.environment();
    Optional<YearMonth> billed = month();
    ApiClient platform = new ApiClient(PlatformApi.settings(env, context.retries()), ApiClient.defaultHttpClient(),
        context.clock());
    ComputeBills.Settings settings = new ComputeBills.Settings(env.getOrDefault("OBSERVES_BILLS_BUCKET", "integrates"),
        "continuous-data/bills", codeSchema);
    RunId run = RunId.unique(context.clock().instant());
    try (S3Client s3 = AwsClients.s3(AwsSettings.from(env)); WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(env, null))) {
      ComputeBills.Result result = new ComputeBills(warehouse, new S3ObjectStore(s3), platform, settings, context.clock())
          .run(billed, run, dryRun);
      PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
      out.printf("%s %s: %d group(s), %d line(s)%s%n", dryRun ? "Dry run, nothing written; would bill" : "Billed",
          result.month(), result.bills().size(), result.lines(), dryRun ? "" : " in " + result.folders());
      result.summary().forEach(line -> out.println("  " + line));
      out.flush();
    }
    return 0;
  }

  private Optional<YearMonth> month() {
    return month == null ? Optional.empty() : Optional.of(MonthOption.parse(spec, month));
  }
}
