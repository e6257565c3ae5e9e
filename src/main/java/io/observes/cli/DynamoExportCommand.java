package io.observes.cli;

import io.observes.etl.dynamo.DynamoEtl;

import io.observes.config.ConfigException;
import io.observes.etl.dynamo.DynamoSource;
import io.observes.etl.dynamo.ExportManifest;
import io.observes.etl.dynamo.ExportSelection;
import io.observes.etl.dynamo.RunExportPin;
import io.observes.etl.dynamo.TableExport;
import io.observes.etl.dynamo.TableExports;
import io.observes.pipeline.RunId;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;

/**
 * {@code observes etl dynamo export}: a full export of the table to S3 (DynamoDB's
 * ExportTableToPointInTime: a snapshot at one time, no read capacity), waited for and recorded in
 * the ETL's state, so that {@code phase1 --source export} reads it.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export the table to S3 as of a point in time (DynamoDB's export: needs point-in-time recovery on the",
        "table, reads no capacity), wait for it, and record it in the ETL's state for 'phase1 --source export'.",
        "With --export-id, wait for and record an export that exists instead of starting one."})
final class DynamoExportCommand implements Callable<Integer> {
  @CommandLine.ParentCommand DynamoCommand parent;

  @Option(names = "--export-time", description = "The time the export holds the table as of, ISO-8601 (e.g. "
      + "2026-11-23T03:00:00Z), within the table's point-in-time recovery window (default: now).")
  String exportTime;

  @Option(names = "--export-id", description = "Reuse this export of the table (its id or ARN) instead of starting one.")
  String exportId;

  @Option(names = "--poll-seconds", defaultValue = "30", description = "Seconds between two DescribeExport calls "
      + "(default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(names = "--wait-minutes", defaultValue = "240", description = "At most how long to wait for the export; it goes "
      + "on in DynamoDB after that (default: ${DEFAULT-VALUE}).")
  int waitMinutes;

  @Override
  public Integer call() {
    if (pollSeconds < 1 || waitMinutes < 0) {
      throw new ConfigException("--poll-seconds must be at least 1 and --wait-minutes not negative");
    }
    if (exportId != null && exportTime != null) {
      throw new ConfigException("--export-time starts a new export; --export-id reuses one: give one of them");
    }
    Optional<Instant> at = Optional.ofNullable(exportTime).map(DynamoExportCommand::instant);
    Clock clock = CommandContext.of(parent.spec).clock();
    PrintWriter out = parent.spec.commandLine().getOut();
    // The chain's run id (OBSERVES_RUN_ID) makes a retried attempt find its export instead of starting another.
    Optional<RunId> run = Optional.ofNullable(parent.runId).or(() -> parent.env().get("OBSERVES_RUN_ID"))
        .filter(v -> !v.isBlank()).map(DynamoCommand::runId);
    try (DynamoEtl job = parent.open()) {
      TableExports exports = job.exports();
      String arn;
      if (exportId != null) {
        arn = exports.arnOf(exportId);
      } else {
        ExportDescription started = exports.start(at, job.dataBucket(), DynamoEtl.EXPORT_PREFIX,
            run.map(r -> "observes-" + r.value()));
        arn = started.exportArn();
        out.printf("Started export %s of table %s as of %s into s3://%s/%s/AWSDynamoDB/%s/%n", arn,
            exports.tableArn(), at.map(Instant::toString).orElse("now"), job.dataBucket(), DynamoEtl.EXPORT_PREFIX,
            arn.substring(arn.lastIndexOf('/') + 1));
        out.flush();
      }
      TableExport export = exports.await(arn, new TableExports.Wait(Duration.ofSeconds(pollSeconds),
          Duration.ofMinutes(waitMinutes)), d -> Thread.sleep(d.toMillis()), clock, line -> {
            out.println(line);
            out.flush();
          });
      ExportManifest manifest = job.manifest(export);
      job.exportState().record(export, run.map(RunId::value).orElse("export-" + export.id()), clock.instant());
      out.printf("Export %s: %,d items of table %s as of %s, in %d data files under s3://%s/%s%n", export.id(),
          manifest.itemCount(), exports.tableArn(), export.exportTime(), manifest.files().size(), export.bucket(),
          export.directory());
      out.printf("Recorded in %s: 'phase1 --source export' reads it.%n", job.exportState().where());
      if (run.isPresent()) {
        RunExportPin pin = job.pin(run.get());
        TableExport held = pin.pin(export);
        if (!held.arn().equals(export.arn())) {
          throw new ConfigException("run " + run.get() + " already reads export " + held.arn() + " (" + pin.uri()
              + "); export " + export.id() + " is recorded in the state: read it with another run id");
        }
        out.printf("Pinned to run %s (%s): every phase1 segment of the run reads it.%n", run.get(), pin.uri());
      }
      out.flush();
    }
    return 0;
  }

  /** What phase1 reads, decided once per run (see {@link ExportSelection}). */
  static DynamoSource phase1Source(DynamoEtl job, RunId run, Optional<String> flag, Optional<String> exportId,
      Optional<String> environment, PrintWriter out) {
    RunExportPin pin = job.pin(run);
    if (ExportSelection.mode(flag, environment, pin) == ExportSelection.Mode.SCAN) {
      if (exportId.isPresent()) {
        throw new ConfigException("--export-id reads an export: drop --source scan");
      }
      ExportSelection.requireNoExport(pin, run.value());
      return job.source;
    }
    Optional<TableExport> named = exportId.map(id -> {
      TableExports exports = job.exports();
      String arn = exports.arnOf(id);
      try {
        return TableExport.completed(exports.describe(arn), arn);
      } catch (IllegalStateException e) {
        throw new ConfigException(e.getMessage() + "; wait for it with 'observes etl dynamo export --export-id " + id + "'", e);
      }
    });
    TableExport export = ExportSelection.forRun(pin, run.value(), named, () -> job.exportState().last(),
        job.exportState().where());
    out.printf("Reading export %s (table as of %s), pinned to run %s.%n", export.arn(), export.exportTime(), run);
    out.flush();
    return job.exportSource(export);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException("--export-time '" + text + "' is not an ISO-8601 instant like 2026-11-23T03:00:00Z");
    }
  }
}
