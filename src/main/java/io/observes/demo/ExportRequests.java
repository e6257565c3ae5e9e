package io.observes.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The stand-in's checks of a request's fields, refused as DynamoDB refuses them. */
final class ExportRequests {
  private ExportRequests() {}

  /**
   * The IncrementalExportSpecification, checked as AWS documents it: a window of 15 minutes to 24
   * hours, in the past, NEW_AND_OLD_IMAGES (the default). The stand-in needs both times; AWS would take
   * the latest time with data for a missing ExportToTime.
   */
  static ObjectNode incremental(JsonNode request, long now) {
    JsonNode spec = request.path("IncrementalExportSpecification");
    if (!spec.path("ExportFromTime").isNumber() || !spec.path("ExportToTime").isNumber()) {
      throw new AwsError("ValidationException", "the export stand-in needs IncrementalExportSpecification with "
          + "ExportFromTime and ExportToTime");
    }
    String view = spec.path("ExportViewType").asText("NEW_AND_OLD_IMAGES");
    if (!view.equals("NEW_AND_OLD_IMAGES")) {
      throw new AwsError("ValidationException", "the export stand-in writes NEW_AND_OLD_IMAGES only, not " + view);
    }
    long from = millis(spec.get("ExportFromTime"));
    long to = millis(spec.get("ExportToTime"));
    if (to - from < 15 * 60_000L || to - from > 24 * 3_600_000L) {
      throw new AwsError("InvalidExportTimeException", "The export period must be between 15 minutes and 24 hours");
    }
    if (to > now) {
      throw new AwsError("InvalidExportTimeException", "ExportToTime is in the future");
    }
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.set("ExportFromTime", spec.get("ExportFromTime"));
    answer.set("ExportToTime", spec.get("ExportToTime"));
    answer.put("ExportViewType", view);
    return answer;
  }

  static long millis(JsonNode seconds) {
    return seconds.decimalValue().movePointRight(3).longValue();
  }

  static String required(JsonNode request, String field) {
    if (!request.path(field).isTextual()) {
      throw new AwsError("ValidationException", "1 validation error detected: Value null at '" + field
          + "' failed to satisfy constraint: Member must not be null");
    }
    return request.get(field).asText();
  }
}
