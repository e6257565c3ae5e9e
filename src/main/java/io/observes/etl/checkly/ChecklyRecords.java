package io.observes.etl.checkly;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiException;
import io.observes.http.ApiJson;
import java.time.OffsetDateTime;

/**
 * The fields of Checkly's objects the ETL relies on, typed (Jackson records); every other field is
 * kept in the record's value, never a failure.
 */
final class ChecklyRecords {
  /** A check: the id its results are listed by. */
  record Check(@JsonProperty(value = "id", required = true) String id) {}

  /** A check result: its id (the merge key), its check, and when it ran. */
  record Result(@JsonProperty(value = "id", required = true) String id,
      @JsonProperty(value = "checkId", required = true) String checkId, @JsonProperty("startedAt") OffsetDateTime startedAt) {}

  private ChecklyRecords() {}

  static <T> T read(JsonNode node, Class<T> type, String what) {
    try {
      return ApiJson.MAPPER.treeToValue(node, type);
    } catch (Exception e) {
      String text = node.toString();
      throw new ApiException(0, "Checkly answered " + what + " with an object that is not a documented "
          + type.getSimpleName() + " (" + e.getMessage().lines().findFirst().orElse("") + "): "
          + (text.length() <= 200 ? text : text.substring(0, 200) + "..."), e);
    }
  }
}
