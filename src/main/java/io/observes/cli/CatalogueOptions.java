package io.observes.cli;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.batch.BatchSubmitter;
import io.observes.batch.JobCatalogue;
import io.observes.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.batch.BatchClient;

/** {@code --catalogue DIR} (default: the catalogue bundled in the jar) and {@code --dry-run}. */
final class CatalogueOptions {
  @Option(names = "--catalogue", description = "Job catalogue directory (default: the etl-jobs/ bundled in the jar).")
  Path directory;

  @Option(names = "--dry-run", description = "Print the exact SubmitJob requests as JSON; submit nothing.")
  boolean dryRun;

  JobCatalogue catalogue() {
    return load(directory);
  }

  /** The catalogue in {@code directory}, or the bundled one when null; an invalid one is a configuration error. */
  static JobCatalogue load(Path directory) {
    try {
      return directory == null ? JobCatalogue.bundled() : JobCatalogue.load(directory);
    } catch (JobCatalogue.InvalidCatalogueException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** A Batch client, unless this is a dry run (which needs no AWS at all). */
  BatchClient client(CommandContext context) {
    return dryRun ? null : AwsClients.batch(AwsSettings.from(context.environment()));
  }

  static BatchSubmitter submitter(BatchClient client, JobCatalogue catalogue, PrintWriter out, boolean dryRun) {
    return new BatchSubmitter(client, catalogue, out, dryRun);
  }
}
