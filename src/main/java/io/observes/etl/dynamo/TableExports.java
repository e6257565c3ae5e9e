package io.observes.etl.dynamo;

import io.observes.config.ConfigException;
import io.observes.etl.dynamo.IncrementalWindows.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;
import software.amazon.awssdk.services.dynamodb.model.InvalidExportTimeException;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryUnavailableException;

/**
 * Full exports of one table to S3 through DynamoDB's API: {@code ExportTableToPointInTime} to start
 * one, {@code DescribeExport} to follow it until it is COMPLETED (or FAILED, or the wait's bound
 * passes). An export reads the table's point-in-time recovery data, not the table: it consumes no
 * read capacity, and it is one consistent snapshot at its export time.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html">ExportTableToPointInTime</a>
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeExport.html">DescribeExport</a>
 */
public final class TableExports {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** Waits between two DescribeExport calls (Thread.sleep in production). */
  public interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** How often to ask, and for how long at most, before giving up waiting (the export goes on). */
  public record Wait(Duration poll, Duration limit) {
    public Wait {
      Objects.requireNonNull(poll, "poll");
      Objects.requireNonNull(limit, "limit");
      if (poll.isNegative() || poll.isZero() || limit.isNegative()) {
        throw new IllegalArgumentException("the export poll interval must be positive and the wait not negative");
      }
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;
  private final String tableArn;

  public TableExports(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.tableArn = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
  }

  public String tableArn() {
    return tableArn;
  }

  /** An export of this table named by its ARN or by its id (the ARN's last part). */
  public String arnOf(String idOrArn) {
    String prefix = tableArn + "/export/";
    if (idOrArn.startsWith("arn:")) {
      if (!idOrArn.startsWith(prefix) || !ID.matcher(idOrArn.substring(prefix.length())).matches()) {
        throw new ConfigException("export " + idOrArn + " is not an export of table " + table + " (" + tableArn + ")");
      }
      return idOrArn;
    }
    if (!ID.matcher(idOrArn).matches()) {
      throw new ConfigException("'" + idOrArn + "' is neither an export ARN nor an export id (like 01605130432834-8a918b87)");
    }
    return prefix + idOrArn;
  }

  /**
   * Starts a full export in DynamoDB JSON into {@code s3://bucket/prefix/AWSDynamoDB/<id>/}, of the
   * table as it was at {@code at} (empty: now). The same {@code clientToken} with the same request
   * within 8 hours gives the same export (a retried job does not start a second one).
   */
  public ExportDescription start(Optional<Instant> at, String bucket, String prefix, Optional<String> clientToken) {
    try {
      return dynamo.exportTableToPointInTime(b -> {
        b.tableArn(tableArn).s3Bucket(bucket).s3Prefix(prefix).exportFormat(ExportFormat.DYNAMODB_JSON)
            .exportType(ExportType.FULL_EXPORT);
        at.ifPresent(b::exportTime);
        clientToken.ifPresent(b::clientToken);
      }).exportDescription();
    } catch (PointInTimeRecoveryUnavailableException e) {
      throw new ConfigException("point-in-time recovery (PITR) is not enabled on table " + table + ", and DynamoDB exports "
          + "read from it (DynamoDB: " + e.awsErrorDetails().errorMessage() + "). Enable it where the table is defined "
          + "(the platform's Terraform: point_in_time_recovery { enabled = true }; or aws dynamodb "
          + "update-continuous-backups --table-name " + table + " --point-in-time-recovery-specification "
          + "PointInTimeRecoveryEnabled=true), then export again; until then phase1 reads the table with --source scan", e);
    } catch (InvalidExportTimeException e) {
      throw new ConfigException("the export time " + at.map(Instant::toString).orElse("(now)") + " is outside table " + table
          + "'s point-in-time recovery window (DynamoDB: " + e.awsErrorDetails().errorMessage() + "); pick a time in the "
          + "window (at most 35 days back, and not in the future)", e);
    }
  }

  public ExportDescription describe(String exportArn) {
    try {
      return dynamo.describeExport(b -> b.exportArn(exportArn)).exportDescription();
    } catch (ExportNotFoundException e) {
      throw new ConfigException("DynamoDB knows no export " + exportArn + " (" + e.awsErrorDetails().errorMessage()
          + "); check --export-id (DynamoDB keeps an export's description for 90 days)", e);
    }
  }

  /**
   * Follows the export until it is COMPLETED and returns it; a FAILED export is an error with
   * DynamoDB's FailureCode and FailureMessage; still IN_PROGRESS after the wait's limit is an error
   * that says how to wait for it again. Each poll reports a line to {@code progress}.
   */
  public TableExport await(String exportArn, Wait wait, Pause pause, Clock clock, Consumer<String> progress) {
    return TableExport.completed(awaitCompleted(exportArn, wait, pause, clock, progress), exportArn);
  }

  /** As {@link #await}, for the incremental export of {@code window}; an export of another window is refused. */
  public IncrementalExport awaitIncremental(String exportArn, Window window, Wait wait, Pause pause, Clock clock,
      Consumer<String> progress) {
    return IncrementalExport.completed(awaitCompleted(exportArn, wait, pause, clock, progress), exportArn, window);
  }

  /**
   * Starts the incremental export of {@code window} (DynamoDB JSON, NEW_AND_OLD_IMAGES) into
   * {@code s3://bucket/prefix/AWSDynamoDB/}. Its client token names the window, so a rerun within
   * DynamoDB's 8 hours gets the export it started before instead of a second one.
   */
  public ExportDescription startIncremental(Window window, String bucket, String prefix) {
    try {
      return dynamo.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket(bucket).s3Prefix(prefix)
          .exportFormat(ExportFormat.DYNAMODB_JSON).exportType(ExportType.INCREMENTAL_EXPORT)
          .incrementalExportSpecification(s -> s.exportFromTime(window.from()).exportToTime(window.to())
              .exportViewType(ExportViewType.NEW_AND_OLD_IMAGES))
          .clientToken(clientToken(window))).exportDescription();
    } catch (PointInTimeRecoveryUnavailableException e) {
      throw new ConfigException("point-in-time recovery (PITR) is not enabled on table " + table + ", and incremental "
          + "exports read from it (DynamoDB: " + e.awsErrorDetails().errorMessage() + "); enable it (see docs/dynamo.md)", e);
    } catch (InvalidExportTimeException e) {
      throw new ConfigException("DynamoDB refused the incremental export window " + window.from() + " to " + window.to()
          + " of table " + table + " (DynamoDB: " + e.awsErrorDetails().errorMessage() + "); a window lies within the "
          + "point-in-time recovery window (35 days) and after PITR was enabled: take a full refresh "
          + "(observes etl dynamo export, then run) and incremental runs start from it", e);
    }
  }

  /** {@code observes-incr-<from>-<to>} in epoch seconds: the same window, the same token. */
  static String clientToken(Window window) {
    return "observes-incr-" + window.from().getEpochSecond() + "-" + window.to().getEpochSecond();
  }

  private ExportDescription awaitCompleted(String exportArn, Wait wait, Pause pause, Clock clock,
      Consumer<String> progress) {
    Instant start = clock.instant();
    while (true) {
      ExportDescription d = describe(exportArn);
      if (!exportArn.equals(d.exportArn())) {
        throw new IllegalStateException("asked DynamoDB about export " + exportArn + " and it described " + d.exportArn());
      }
      Duration waited = Duration.between(start, clock.instant());
      if (d.exportStatus() == ExportStatus.COMPLETED) {
        progress.accept(String.format("export %s: COMPLETED, %,d items of table %s as of %s", TableExport.id(exportArn),
            d.itemCount() == null ? 0 : d.itemCount(), table, d.exportTime()));
        return d;
      }
      if (d.exportStatus() == ExportStatus.FAILED) {
        throw new IllegalStateException("export " + exportArn + " of table " + table + " FAILED: " + d.failureCode() + ": "
            + d.failureMessage() + ". Fix what DynamoDB names (the bucket policy, a KMS key, the IAM role), then export again");
      }
      if (d.exportStatus() != ExportStatus.IN_PROGRESS) {
        throw new IllegalStateException("export " + exportArn + " has status '" + d.exportStatusAsString()
            + "', which this version of Observes does not know (IN_PROGRESS, COMPLETED, FAILED)");
      }
      if (waited.compareTo(wait.limit()) >= 0) {
        throw new IllegalStateException("export " + exportArn + " of table " + table + " is still IN_PROGRESS after "
            + minutes(waited) + "; it goes on in DynamoDB: wait for it again with "
            + "'observes etl dynamo export --export-id " + TableExport.id(exportArn) + "'");
      }
      progress.accept("export " + TableExport.id(exportArn) + ": IN_PROGRESS, " + minutes(waited) + " waited, table "
          + table + " as of " + d.exportTime());
      try {
        pause.sleep(wait.poll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for export " + exportArn, e);
      }
    }
  }

  private static String minutes(Duration d) {
    return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
