package io.observes.etl.checkly;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiException;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checkly ETL's streams (LEGACY.md §4): the account's checks, check groups (with their alert
 * subscriptions and locations), check statuses and alert channels, replaced each run; check results
 * split into {@code check_results} (what every result has), {@code check_results_api} and
 * {@code check_results_browser} (with its pages), merged by result id; and the daily reports,
 * merged by check and window.
 */
final class ChecklyStreams {
  static final StreamSpec CHECKS = StreamSpec.of("checks", WriteMode.REPLACE, "id")
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("updated_at", ColumnType.TIMESTAMPTZ);
  static final StreamSpec CHECK_GROUPS = StreamSpec.of("check_groups", WriteMode.REPLACE, "id")
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("updated_at", ColumnType.TIMESTAMPTZ);
  static final StreamSpec CHECK_STATUS = StreamSpec.of("check_status", WriteMode.REPLACE, "checkId")
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("updated_at", ColumnType.TIMESTAMPTZ);
  static final StreamSpec ALERT_CHANNELS = StreamSpec.of("alert_channels", WriteMode.REPLACE, "id")
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("updated_at", ColumnType.TIMESTAMPTZ);
  static final StreamSpec RESULTS = StreamSpec.of("check_results", WriteMode.MERGE, "id")
      .typed("startedAt", ColumnType.TIMESTAMPTZ).typed("stoppedAt", ColumnType.TIMESTAMPTZ)
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("hasFailures", ColumnType.BOOLEAN)
      .typed("hasErrors", ColumnType.BOOLEAN).typed("isDegraded", ColumnType.BOOLEAN);
  /** A result's {@code apiCheckResult}, keyed by the result's id and check. */
  static final StreamSpec API_RESULTS = StreamSpec.of("check_results_api", WriteMode.MERGE, "id")
      .at("apiCheckResult").from("id", "id").from("check_id", "checkId");
  /** A result's {@code browserCheckResult}, keyed by the result's id and check. */
  static final StreamSpec BROWSER_RESULTS = StreamSpec.of("check_results_browser", WriteMode.MERGE, "id")
      .at("browserCheckResult").from("id", "id").from("check_id", "checkId");
  static final StreamSpec REPORTS = StreamSpec.of("check_reports", WriteMode.MERGE, "checkId", "report_from", "report_to")
      .typed("report_from", ColumnType.TIMESTAMPTZ).typed("report_to", ColumnType.TIMESTAMPTZ)
      .derived("report_from", "the start of the report window requested (its from parameter)")
      .derived("report_to", "the end of the report window requested (its to parameter)");

  private static final Set<String> SPLIT = Set.of("apiCheckResult", "browserCheckResult");

  private ChecklyStreams() {}

  static SourceRecord of(StreamSpec stream, JsonNode item, String what) {
    return stream.record(object(item, what));
  }

  /** A check result as its common row and, by check type, its API or browser row. */
  static List<SourceRecord> result(JsonNode result, String what) {
    ChecklyRecords.Result typed = ChecklyRecords.read(result, ChecklyRecords.Result.class, what);
    Map<String, Value> common = new LinkedHashMap<>();
    result.fields().forEachRemaining(f -> {
      if (!SPLIT.contains(f.getKey())) {
        common.put(f.getKey(), JsonValues.fromJson(f.getValue()));
      }
    });
    List<SourceRecord> records = new ArrayList<>(2);
    records.add(RESULTS.record(new Value.Obj(common)));
    part(result, typed, "apiCheckResult", API_RESULTS, records, what);
    part(result, typed, "browserCheckResult", BROWSER_RESULTS, records, what);
    return records;
  }

  private static void part(JsonNode result, ChecklyRecords.Result typed, String field, StreamSpec stream,
      List<SourceRecord> records, String what) {
    JsonNode part = result.path(field);
    if (part.isMissingNode() || part.isNull()) {
      return;
    }
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("id", new Value.Text(typed.id()));
    fields.put("check_id", new Value.Text(typed.checkId()));
    object(part, what).fields().forEach((name, value) -> {
      // The part's own field of that name would be lost under the result's: never silently.
      if (fields.putIfAbsent(name, value) != null) {
        throw new ApiException(0, "Checkly answered " + what + " with a result whose " + field + " has its own '" + name
            + "', which the " + stream.name() + " row takes from the result: " + abbreviate(part));
      }
    });
    records.add(stream.record(new Value.Obj(fields)));
  }

  /** A report row of the window {@code [from, to)}. */
  static SourceRecord report(JsonNode item, String from, String to, String what) {
    Map<String, Value> fields = new LinkedHashMap<>(object(item, what).fields());
    fields.put("report_from", new Value.Text(from));
    fields.put("report_to", new Value.Text(to));
    return REPORTS.record(new Value.Obj(fields));
  }

  private static Value.Obj object(JsonNode node, String what) {
    if (!(JsonValues.fromJson(node) instanceof Value.Obj obj)) {
      throw new ApiException(0, "Checkly answered " + what + " with an item that is not an object: " + abbreviate(node));
    }
    return obj;
  }

  /** An API object quoted in a message: its JSON, cleaned and cut ({@link io.observes.http.ApiText}). */
  private static String abbreviate(JsonNode node) {
    return io.observes.http.ApiText.quote(node.toString());
  }
}
