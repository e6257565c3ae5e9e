package io.observes.cli;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Buckets;
import io.observes.config.Environment;
import io.observes.warehouse.WarehouseConfig;
import io.observes.jobs.warehouse.WarehouseCheck;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.storage.S3ObjectStore;
import io.observes.text.PrintableWriter;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseSettings;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes warehouse check}: what only the configured warehouse can settle, asked through the
 * product's own staging and load code in scratch schemas it drops afterwards (docs/warehouse-check.md).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check the configured warehouse (OBSERVES_WAREHOUSE_URL, ..., and the data bucket its COPY reads)",
        "through the ETLs' own staging, load, swap and in-place publish, in scratch schemas observes_check_<hex>* that",
        "are dropped afterwards with the files staged for them. One PASS or FAIL line per question; exit 1 on a FAIL.",
        "Run it once on every new warehouse (the first Redshift deployment) and after changing its settings."})
final class WarehouseCheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--warehouse-url", description = "JDBC URL; default: OBSERVES_WAREHOUSE_URL.")
  String warehouseUrl;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    Environment env = context.environment();
    WarehouseSettings settings = WarehouseConfig.from(env, warehouseUrl);
    String bucket = Buckets.from(env).data();
    WarehouseCheck.Report report;
    try (S3Client s3 = AwsClients.s3(AwsSettings.from(env)); WarehouseClient warehouse = Warehouses.open(settings)) {
      report = new WarehouseCheck(warehouse, new S3ObjectStore(s3), bucket, SegmentStager.Settings.from(env), context.clock(),
          WarehouseCheck.randomSuffix()).run();
    }
    PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
    report.lines().forEach(out::println);
    out.flush();
    return report.passed() ? 0 : ErrorHandler.FAILED;
  }
}
