package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.Query;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.value.SourceBytes;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A module's fields as Zoho describes them ({@code GET /crm/v2/settings/fields?module=M}): their
 * types decide the declared column types (integer -> BIGINT, boolean -> BOOLEAN, datetime ->
 * TIMESTAMPTZ; the rest inferred) and how a CSV cell becomes a value (a multi-select picklist, the
 * values joined by {@code ;}, becomes a list: a child table). An empty cell is null.
 */
final class ZohoFields {
  /** The record id: a module's key, named so whatever case Zoho writes it in (metadata and CSV). */
  static final String KEY = "Id";
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");

  private final Map<String, String> types;

  private ZohoFields(Map<String, String> types) {
    this.types = types;
  }

  static ZohoFields of(ApiClient api, String module) {
    JsonNode fields = api.getJson("crm/v2/settings/fields?module=" + Query.encode(module), "reading the fields of " + module)
        .path("fields");
    Map<String, String> types = new LinkedHashMap<>();
    for (JsonNode field : fields) {
      if (field.path("api_name").isTextual()) {
        String name = field.get("api_name").asText();
        types.put(KEY.equalsIgnoreCase(name) ? KEY : name, field.path("data_type").asText(""));
      }
    }
    return new ZohoFields(types);
  }

  /** The module's stream: replaced each run, keyed by {@code Id}, typed where Zoho says. */
  StreamSpec stream(String module) {
    StreamSpec spec = StreamSpec.of(ZohoModules.stream(module), WriteMode.REPLACE, KEY);
    for (Map.Entry<String, String> field : types.entrySet()) {
      ColumnType type = switch (field.getValue()) {
        case "integer", "bigint" -> ColumnType.BIGINT;
        case "boolean" -> ColumnType.BOOLEAN;
        case "datetime" -> ColumnType.TIMESTAMPTZ;
        default -> null;
      };
      if (type != null && !field.getKey().equals(KEY)) {
        spec = spec.typed(escape(field.getKey()), type);
      }
    }
    return spec;
  }

  /** A CSV row (header name -> text) as a record value. */
  Value.Obj value(Map<String, String> cells) {
    Map<String, Value> fields = new LinkedHashMap<>();
    cells.forEach((name, text) -> fields.put(name, cell(types.getOrDefault(name, ""), text)));
    return new Value.Obj(fields);
  }

  private static Value cell(String type, String text) {
    if (text == null || text.isEmpty()) {
      return Value.Null.INSTANCE;
    }
    // A cell with bytes that are not UTF-8 is rejected whole, before any reading of its type: a
    // cell, not the row, because the CSV's structure is ASCII and no bad byte is, so the record's
    // other cells were read exactly as Zoho wrote them.
    Value checked = SourceBytes.text(text);
    if (checked instanceof Value.Invalid) {
      return checked;
    }
    switch (type) {
      case "integer", "bigint":
        return INTEGER.matcher(text).matches() ? Value.Numeric.of(text) : new Value.Text(text);
      case "boolean":
        return "true".equals(text) || "false".equals(text) ? new Value.Bool(Boolean.parseBoolean(text)) : new Value.Text(text);
      case "multiselectpicklist":
        List<Value> items = new ArrayList<>();
        for (String item : text.split(";", -1)) {
          items.add(new Value.Text(item));
        }
        return Value.Array.list(items);
      default:
        return new Value.Text(text);
    }
  }

  /** A field name as a source path step: dots and brackets escaped. */
  private static String escape(String name) {
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]");
  }
}
