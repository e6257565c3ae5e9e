package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiException;
import io.observes.http.ApiJson;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The timedoctor ETL's tables (LEGACY.md §6), replaced each run: {@code worklogs} and
 * {@code computer_activity}. A row's id is a name-based UUID of the whole record as TimeDoctor
 * served it (every field, at every depth): two records that differ in any field (two computers
 * logging the same second, {@code deviceId}) are two rows, and only a record read twice, equal in
 * every field (a month backed up and read live, a page shifting under the walk), lands once. The
 * original drew ids at random, so every run and backup doubled rows. The legacy columns are read
 * from where the original tap read them; {@code project_id} is the project's id (the original put
 * its name there). Every other field TimeDoctor sends is kept under its own name.
 */
final class TimeDoctorStreams {
  static final StreamSpec WORKLOGS = StreamSpec.of("worklogs", WriteMode.REPLACE, "worklog_id")
      .typed("length", ColumnType.BIGINT).typed("start_time", ColumnType.TIMESTAMPTZ)
      .typed("end_time", ColumnType.TIMESTAMPTZ).typed("edited", ColumnType.BOOLEAN)
      .derived("worklog_id", "a name-based UUID of the whole worklog as served")
      .from("length", "time").from("user_id", "userId").from("task_id", "taskId").from("task_name", "taskName")
      .from("project_id", "projectId").from("project_name", "projectName").from("start_time", "start")
      .from("work_mode", "mode")
      .derived("user_name", "the name /users gives for userId")
      .derived("end_time", "start plus time seconds")
      .derived("edited", "whether mode is manual (in any case); NULL without a mode");
  /** The legacy counts are the first file's ({@code numbers[0]}); {@code numbers} is kept whole as well. */
  static final StreamSpec COMPUTER_ACTIVITY = StreamSpec.of("computer_activity", WriteMode.REPLACE, "uuid")
      .typed("date", ColumnType.TIMESTAMPTZ).typed("keystrokes", ColumnType.BIGINT)
      .typed("mousemovements", ColumnType.BIGINT)
      .derived("uuid", "a name-based UUID of the whole screenshot record as served")
      .from("user_id", "userId").from("process", "appInfo.process").from("window", "appInfo.window")
      .derived("user_name", "the name /users gives for userId")
      .derived("task_id", "numbers[0].meta.taskId, the first file's task")
      .derived("project_id", "numbers[0].meta.projectId, the first file's project")
      .derived("keystrokes", "numbers[0].meta.keys, the first file's keystrokes")
      .derived("mousemovements", "numbers[0].meta.movements, the first file's mouse movements");

  /** Top-level fields a legacy column holds under another name; the rest are kept as they are. */
  private static final Set<String> WORKLOG_CONSUMED = Set.of("start", "time", "mode", "userId", "taskId", "taskName",
      "projectId", "projectName");
  /**
   * {@code numbers} and {@code appInfo} are kept whole as well: a screenshot may hold several files,
   * and the legacy columns copy only the first one's counts.
   */
  private static final Set<String> ACTIVITY_CONSUMED = Set.of("date", "userId", "deleted_by", "deletedSeconds");

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
    row.put("worklog_id", new Value.Text(id("worklog", item)));
    row.put("length", Value.Numeric.of(seconds));
    row.put("user_id", new Value.Text(user));
    row.put("user_name", name(users, user));
    row.put("task_id", value(item, "taskId"));
    row.put("task_name", value(item, "taskName"));
    row.put("project_id", value(item, "projectId"));
    row.put("project_name", value(item, "projectName"));
    row.put("start_time", new Value.Text(start.toString()));
    row.put("end_time", new Value.Text(start.plusSeconds(seconds).toString()));
    row.put("edited", edited(item.get("mode")));
    row.put("work_mode", value(item, "mode"));
    keepTheRest(item, WORKLOG_CONSUMED, row, what);
    return new Value.Obj(row);
  }

  /**
   * A computer-activity (screenshot) row: keystrokes, mouse movements, task and project from the
   * first file's {@code numbers[0].meta}, process and window from {@code appInfo}, as the original
   * tap read them.
   */
  static Value.Obj activity(JsonNode item, Map<String, String> users, String what) {
    String user = text(item, "userId", what);
    Instant date = time(item, "date", what);
    JsonNode meta = item.path("numbers").path(0).path("meta");
    JsonNode app = item.path("appInfo");
    Map<String, Value> row = new LinkedHashMap<>();
    row.put("uuid", new Value.Text(id("screenshot", item)));
    row.put("date", new Value.Text(date.toString()));
    row.put("user_id", new Value.Text(user));
    row.put("user_name", name(users, user));
    row.put("task_id", value(meta, "taskId"));
    row.put("project_id", value(meta, "projectId"));
    row.put("process", value(app, "process"));
    row.put("window", value(app, "window"));
    row.put("keystrokes", value(meta, "keys"));
    row.put("mousemovements", value(meta, "movements"));
    row.put("deleted_by", value(item, "deleted_by"));
    row.put("deletedSeconds", value(item, "deletedSeconds"));
    keepTheRest(item, ACTIVITY_CONSUMED, row, what);
    return new Value.Obj(row);
  }

  /** Whether the worklog was added by hand, as the original derived it: its mode is {@code manual}; unknown without a mode. */
  private static Value edited(JsonNode mode) {
    // Any case: the platform team's client lower-cases modes before matching (the API writes paidBreak).
    return mode != null && mode.isTextual() ? new Value.Bool("manual".equalsIgnoreCase(mode.asText())) : Value.Null.INSTANCE;
  }

  static SourceRecord record(StreamSpec stream, Value.Obj row) {
    return stream.record(row);
  }

  /**
   * A name-based UUID of {@code kind} and the whole record, its object fields in name order (so the
   * order TimeDoctor writes them in does not matter) and its numbers in their served text.
   */
  static String id(String kind, JsonNode record) {
    String text = kind.length() + ":" + kind + JsonValues.toAsciiJson(JsonValues.fromJson(sorted(record)));
    return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = ApiJson.MAPPER.createObjectNode();
      TreeSet<String> names = new TreeSet<>();
      node.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> out.set(name, sorted(node.get(name))));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = ApiJson.MAPPER.createArrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }

  /**
   * The fields no column was read from, each under its own name. One whose name a column already
   * has (read from elsewhere) is refused naming it: keeping either would silently drop the other.
   */
  private static void keepTheRest(JsonNode item, Set<String> consumed, Map<String, Value> row, String what) {
    item.fields().forEachRemaining(f -> {
      if (!consumed.contains(f.getKey())) {
        if (row.containsKey(f.getKey())) {
          throw new ApiException(0, "TimeDoctor answered " + what + " with a field '" + f.getKey() + "' beside the column "
              + "of that name the ETL reads from elsewhere; which one is meant is unknown, and keeping one would drop the "
              + "other: " + item);
        }
        row.put(f.getKey(), JsonValues.fromJson(f.getValue()));
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
