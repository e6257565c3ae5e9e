package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiException;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.pipeline.schema.ColumnType;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The timedoctor ETL's tables (LEGACY.md §6), replaced each run: {@code worklogs} and
 * {@code computer_activity}. Their ids are derived from the source record (the original drew them
 * at random, so every run and backup doubled rows): a worklog is its user, start, task, project and
 * mode; a screenshot its own id, else its user and time. {@code project_id} is the project's id,
 * its name is {@code project_name}. Fields TimeDoctor sends beyond the legacy columns are kept.
 */
final class TimeDoctorStreams {
  static final StreamSpec WORKLOGS = StreamSpec.of("worklogs", WriteMode.REPLACE, "worklog_id")
      .typed("length", ColumnType.BIGINT).typed("start_time", ColumnType.TIMESTAMPTZ)
      .typed("end_time", ColumnType.TIMESTAMPTZ).typed("edited", ColumnType.BOOLEAN);
  static final StreamSpec COMPUTER_ACTIVITY = StreamSpec.of("computer_activity", WriteMode.REPLACE, "uuid")
      .typed("date", ColumnType.TIMESTAMPTZ).typed("keystrokes", ColumnType.BIGINT)
      .typed("mousemovements", ColumnType.BIGINT);

  private static final Set<String> WORKLOG_CONSUMED = Set.of("start", "time", "mode", "userId", "taskId", "taskName",
      "projectId", "projectName", "edited");
  private static final Set<String> ACTIVITY_CONSUMED = Set.of("id", "date", "userId", "taskId", "projectId", "process",
      "window", "keystrokes", "mousemovements", "deletedBy", "deletedSeconds");

  private TimeDoctorStreams() {}

  /** A worklog row; {@code users} names users by id. */
  static Value.Obj worklog(JsonNode item, Map<String, String> users, String what) {
    String user = text(item, "userId", what);
    Instant start = time(item, "start", what);
    if (!item.path("time").canConvertToLong()) {
      throw new ApiException(0, "TimeDoctor answered " + what + " with a worklog without a whole number of seconds: " + item);
    }
    long seconds = item.get("time").asLong();
    Map<String, Value> row = new LinkedHashMap<>();
    row.put("worklog_id", new Value.Text(id("worklog", user, start.toString(), item.path("taskId").asText(""),
        item.path("projectId").asText(""), item.path("mode").asText(""))));
    row.put("length", Value.Numeric.of(seconds));
    row.put("user_id", new Value.Text(user));
    row.put("user_name", name(users, user));
    row.put("task_id", value(item, "taskId"));
    row.put("task_name", value(item, "taskName"));
    row.put("project_id", value(item, "projectId"));
    row.put("project_name", value(item, "projectName"));
    row.put("start_time", new Value.Text(start.toString()));
    row.put("end_time", new Value.Text(start.plusSeconds(seconds).toString()));
    row.put("edited", value(item, "edited"));
    row.put("work_mode", value(item, "mode"));
    keepTheRest(item, WORKLOG_CONSUMED, row);
    return new Value.Obj(row);
  }

  /** A computer-activity (screenshot) row. */
  static Value.Obj activity(JsonNode item, Map<String, String> users, String what) {
    String user = text(item, "userId", what);
    Instant date = time(item, "date", what);
    Map<String, Value> row = new LinkedHashMap<>();
    String uuid = item.path("id").isTextual() ? item.get("id").asText() : id("screenshot", user, date.toString());
    row.put("uuid", new Value.Text(uuid));
    row.put("date", new Value.Text(date.toString()));
    row.put("user_id", new Value.Text(user));
    row.put("user_name", name(users, user));
    row.put("task_id", value(item, "taskId"));
    row.put("project_id", value(item, "projectId"));
    row.put("process", value(item, "process"));
    row.put("window", value(item, "window"));
    row.put("keystrokes", value(item, "keystrokes"));
    row.put("mousemovements", value(item, "mousemovements"));
    row.put("deleted_by", value(item, "deletedBy"));
    row.put("deletedSeconds", value(item, "deletedSeconds"));
    keepTheRest(item, ACTIVITY_CONSUMED, row);
    return new Value.Obj(row);
  }

  static SourceRecord record(StreamSpec stream, Value.Obj row) {
    return stream.record(row);
  }

  /** A name-based UUID of the parts, length-prefixed so that ("ab","c") and ("a","bc") differ. */
  static String id(String... parts) {
    StringBuilder text = new StringBuilder();
    for (String part : parts) {
      text.append(part.length()).append(':').append(part);
    }
    return UUID.nameUUIDFromBytes(text.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static void keepTheRest(JsonNode item, Set<String> consumed, Map<String, Value> row) {
    item.fields().forEachRemaining(f -> {
      if (!consumed.contains(f.getKey())) {
        row.putIfAbsent(f.getKey(), JsonValues.fromJson(f.getValue()));
      }
    });
  }

  private static Value name(Map<String, String> users, String user) {
    String name = users.get(user);
    return name == null ? Value.Null.INSTANCE : new Value.Text(name);
  }

  private static Value value(JsonNode item, String field) {
    JsonNode node = item.get(field);
    return node == null ? Value.Null.INSTANCE : JsonValues.fromJson(node);
  }

  private static String text(JsonNode item, String field, String what) {
    if (!item.path(field).isTextual()) {
      throw new ApiException(0, "TimeDoctor answered " + what + " with an item without " + field + ": " + item);
    }
    return item.get(field).asText();
  }

  private static Instant time(JsonNode item, String field, String what) {
    try {
      return OffsetDateTime.parse(item.path(field).asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(0, "TimeDoctor answered " + what + " with an item whose " + field + " is not a time: " + item);
    }
  }
}
