package io.observes.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Optional;

/** One export of the stand-in, as DescribeExport tells it; the files written so far. */
final class StandInExport {
  final String arn;
  final String tableArn;
  final String bucket;
  final String prefix;
  final String clientToken;
  final String request;
  final long startMillis;
  final long exportMillis;
  final ExportFiles.Written files;
  final Optional<String[]> failure;
  /** The IncrementalExportSpecification of an incremental export, null for a full one. */
  volatile ObjectNode incremental;
  volatile int describesLeft;
  volatile String status = "IN_PROGRESS";
  volatile long endMillis;

  StandInExport(String arn, String tableArn, String bucket, String prefix, String clientToken, String request, long start,
      long exportMillis, ExportFiles.Written files, Optional<String[]> failure, int describes) {
    this.arn = arn;
    this.tableArn = tableArn;
    this.bucket = bucket;
    this.prefix = prefix;
    this.clientToken = clientToken;
    this.request = request;
    this.startMillis = start;
    this.exportMillis = exportMillis;
    this.files = files;
    this.failure = failure;
    this.describesLeft = describes;
  }

  /** The ExportDescription of the API reference, as far as this export has got. */
  ObjectNode description() {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("ExportArn", arn).put("ExportStatus", status).put("StartTime", seconds(startMillis))
        .put("TableArn", tableArn).put("TableId", "stand-in-" + tableArn.hashCode())
        .put("ExportTime", seconds(exportMillis)).put("S3Bucket", bucket).put("S3Prefix", prefix)
        .put("S3SseAlgorithm", "AES256").put("ExportFormat", "DYNAMODB_JSON").put("ExportType", type());
    if (incremental != null) {
      d.set("IncrementalExportSpecification", incremental);
    }
    if (clientToken != null) {
      d.put("ClientToken", clientToken);
    }
    if (!status.equals("IN_PROGRESS")) {
      d.put("EndTime", seconds(endMillis));
    }
    if (status.equals("COMPLETED")) {
      d.put("ExportManifest", files.directory() + "manifest-summary.json")
          .put("ItemCount", files.itemCount()).put("BilledSizeBytes", files.bytes());
    }
    if (status.equals("FAILED")) {
      d.put("FailureCode", failure.get()[0]).put("FailureMessage", failure.get()[1]);
    }
    return d;
  }

  String type() {
    return incremental == null ? "FULL_EXPORT" : "INCREMENTAL_EXPORT";
  }

  static BigDecimal seconds(long millis) {
    return BigDecimal.valueOf(millis).movePointLeft(3);
  }
}
