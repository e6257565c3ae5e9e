package io.observes.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.observes.pipeline.schema.Lineage;
import io.observes.pipeline.schema.SourcePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The lineage contract checked as a reader who knows no table or column name would: every column of
 * every table of a schema carries a comment that is either a path present in the records the
 * source served (from a record's root: fields joined by {@code .}, list elements {@code []}) or says
 * how it is derived ({@code derived: ...}).
 *
 * <p>The records a source served are read from what the fake API answered: a JSON body that is an
 * object is a record, and so is each element of a list it holds at its top (or one object below it,
 * as in {@code {"data": {"users": [...]}}}); a zip holds CSV files whose header names are the paths.
 */
public final class ColumnLineage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> served = new TreeSet<>();

  /** Every path of every record {@code api} answered with. */
  public static ColumnLineage servedBy(WireMockServer api) {
    ColumnLineage lineage = new ColumnLineage();
    for (ServeEvent event : api.getAllServeEvents()) {
      if (event.getResponse() != null && event.getResponse().getStatus() / 100 == 2) {
        lineage.addBody(event.getResponse().getBody());
      }
    }
    return lineage;
  }

  /** Every path of {@code records} (the items of a DynamoDB table, say, as plain JSON). */
  public static ColumnLineage of(Iterable<JsonNode> records) {
    ColumnLineage lineage = new ColumnLineage();
    records.forEach(r -> lineage.addPaths(r, SourcePath.root()));
    return lineage;
  }

  /**
   * These paths too: paths of the source's record model that a served format writes differently
   * (Zoho's bulk CSV joins a multi-select picklist, a JSON array in its records API, with ';').
   */
  public ColumnLineage with(String... paths) {
    served.addAll(List.of(paths));
    return this;
  }

  /** The comments of {@code schema}'s columns that are neither served paths nor derived, as "table.column: comment". */
  public List<String> violations(PostgresStandIn pg, String schema) throws Exception {
    List<Map<String, String>> columns = pg.rows("SELECT c.relname AS t, a.attname AS col, col_description(c.oid, a.attnum) AS note "
        + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
        + "WHERE n.nspname = '" + schema.replace("'", "''") + "' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
        + "ORDER BY 1, a.attnum");
    if (columns.isEmpty()) {
      throw new AssertionError("schema " + schema + " has no tables: nothing to check");
    }
    List<String> wrong = new ArrayList<>();
    for (Map<String, String> column : columns) {
      String note = column.get("note");
      if (note == null || !(note.startsWith(Lineage.DERIVED) && note.length() > Lineage.DERIVED.length() || served.contains(note))) {
        wrong.add(column.get("t") + "." + column.get("col") + ": " + note);
      }
    }
    return wrong;
  }

  /** The paths seen, for a message. */
  public Set<String> paths() {
    return served;
  }

  private void addBody(byte[] body) {
    if (body == null || body.length == 0) {
      return;
    }
    if (body.length > 1 && body[0] == 'P' && body[1] == 'K') {
      addZip(body);
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      return;
    }
    addRecords(node, 2);
  }

  private void addRecords(JsonNode node, int depth) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      node.forEach(element -> addRecords(element, 0));
    } else if (node.isObject()) {
      addPaths(node, SourcePath.root());
      if (depth > 0) {
        node.fields().forEachRemaining(f -> {
          if (f.getValue().isArray() || f.getValue().isObject()) {
            addRecords(f.getValue(), depth - 1);
          }
        });
      }
    }
  }

  private void addPaths(JsonNode node, SourcePath at) {
    if (!at.isRoot()) {
      served.add(at.toString());
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        addPaths(f.getValue(), at.field(f.getKey()));
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        addPaths(element, at.element());
      }
    }
  }

  private void addZip(byte[] body) {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        String header = text.lines().findFirst().orElse("");
        if (header.startsWith("\uFEFF")) {
          header = header.substring(1);
        }
        for (String name : header.split(",", -1)) {
          String bare = name.strip();
          if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
            bare = bare.substring(1, bare.length() - 1).replace("\"\"", "\"");
          }
          served.add(SourcePath.root().field(bare).toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
