package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.storage.S3Uri;
import java.time.format.DateTimeParseException;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportType;

/**
 * A completed full export of a table to S3, as DynamoDB described it: its ARN, the point in time
 * it holds, and where its files are. Everything under {@code <prefix>/AWSDynamoDB/<export id>/}
 * belongs to this export; nothing outside it is ever read for it.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html">export output format</a>
 */
public record TableExport(String arn, Instant exportTime, String bucket, String prefix, String manifestKey, long itemCount) {
  /** {@code <table arn>/export/<id>}; ids look like {@code 01605130432834-8a918b87}. */
  private static final Pattern ARN = Pattern.compile("arn:[a-z0-9-]+:dynamodb:[a-z0-9-]*:[0-9]*:table/[A-Za-z0-9_.-]{3,255}"
      + "/export/[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  public TableExport {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(exportTime, "exportTime");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(manifestKey, "manifestKey");
    if (!ARN.matcher(arn).matches()) {
      throw new IllegalArgumentException("'" + arn + "' is not the ARN of a DynamoDB export (<table arn>/export/<id>)");
    }
    if (!manifestKey.equals(directory(prefix, id(arn)) + "manifest-summary.json")) {
      throw new IllegalArgumentException("export " + arn + ": its manifest " + manifestKey + " is not "
          + directory(prefix, id(arn)) + "manifest-summary.json, under the export's own prefix; refusing to read it");
    }
  }

  /**
   * The export DynamoDB describes, which must be a completed full export in DynamoDB JSON: what the
   * reader reads. {@code asked} is the ARN the caller asked about; an answer about another is refused.
   */
  public static TableExport completed(ExportDescription d, String asked) {
    if (d.exportType() != null && d.exportType() != ExportType.FULL_EXPORT) {
      throw new IllegalStateException("export " + asked + " is an " + d.exportTypeAsString() + ", not a FULL_EXPORT: "
          + "phase1 reads whole tables");
    }
    return checked(d, asked);
  }

  /** What a completed export of either type has: status, format, time, bucket and manifest. */
  static TableExport checked(ExportDescription d, String asked) {
    if (!asked.equals(d.exportArn())) {
      throw new IllegalStateException("asked DynamoDB about export " + asked + " and it described " + d.exportArn());
    }
    if (d.exportStatus() != ExportStatus.COMPLETED) {
      throw new IllegalStateException("export " + asked + " is " + d.exportStatusAsString() + ", not COMPLETED");
    }
    if (d.exportFormat() != null && d.exportFormat() != ExportFormat.DYNAMODB_JSON) {
      throw new IllegalStateException("export " + asked + " is in " + d.exportFormatAsString() + ", and Observes reads "
          + "DYNAMODB_JSON exports only; export again with ExportFormat DYNAMODB_JSON");
    }
    if (d.exportTime() == null || d.s3Bucket() == null || d.exportManifest() == null || d.itemCount() == null) {
      throw new IllegalStateException("DynamoDB described the completed export " + asked + " without its ExportTime, "
          + "S3Bucket, ExportManifest or ItemCount");
    }
    return new TableExport(asked, d.exportTime(), d.s3Bucket(), d.s3Prefix() == null ? "" : d.s3Prefix(),
        d.exportManifest(), d.itemCount());
  }

  /** The export id: the last part of the ARN. */
  public String id() {
    return id(arn);
  }

  /** {@code <prefix>/AWSDynamoDB/<id>/}: every file of the export is under it. */
  public String directory() {
    return directory(prefix, id());
  }

  public S3Uri manifest() {
    return new S3Uri(bucket, manifestKey);
  }

  public S3Uri filesManifest() {
    return new S3Uri(bucket, directory() + "manifest-files.json");
  }

  static String id(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  static String directory(String prefix, String id) {
    return (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + "AWSDynamoDB/" + id + "/";
  }

  /** {@code <prefix>/AWSDynamoDB/data/}: where DynamoDB writes the data files of every incremental export. */
  static String sharedData(String prefix) {
    return directory(prefix, "data");
  }

  /** As kept in the ETL's state and in a run's pin. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("export_arn", arn);
    node.put("export_time", exportTime.toString());
    node.put("bucket", bucket);
    node.put("prefix", prefix);
    node.put("manifest_key", manifestKey);
    node.put("item_count", itemCount);
    return node;
  }

  /** What {@link #toJson} wrote, checked as when DynamoDB described it; {@code where} names the document. */
  public static TableExport fromJson(JsonNode node, String where) {
    try {
      String time = text(node, "export_time", where);
      JsonNode count = node.path("item_count");
      if (!count.isIntegralNumber() || count.longValue() < 0) {
        throw new IllegalStateException(where + ": item_count is not a count: " + count);
      }
      return new TableExport(text(node, "export_arn", where), Instant.parse(time), text(node, "bucket", where),
          text(node, "prefix", where), text(node, "manifest_key", where), count.longValue());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalStateException(where + " does not describe an export: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalStateException(where + ": \"" + field + "\" is missing or not text");
    }
    return value.textValue();
  }
}
