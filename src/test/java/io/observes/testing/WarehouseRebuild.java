package io.observes.testing;

import io.observes.pipeline.schema.Lineage;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Rebuilds source records from a published warehouse schema, using only what the warehouse says
 * about itself (column comments = source paths), as "key | concrete path = canonical value" facts
 * that can be compared with the same facts of the source records.
 */
public final class WarehouseRebuild {
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})");

  private static final Set<String> BOOKKEEPING = Set.of("_observes_id", "_parent_id", "_root_id", "_index");

  private WarehouseRebuild() {}

  /** Facts of a source record: its key and every scalar at its concrete path (list indexes filled in). */
  public static Set<String> facts(String stream, String key, Value.Obj record) {
    Set<String> facts = new TreeSet<>();
    walk(stream + "|" + key + "|", "", record, facts);
    return facts;
  }

  private static void walk(String prefix, String path, Value value, Set<String> facts) {
    if (value instanceof Value.Obj o) {
      if (o.fields().isEmpty() && !path.isEmpty()) {
        facts.add(prefix + path + "=" + canon("{}"));
      }
      o.fields().forEach((name, v) -> walk(prefix, path.isEmpty() ? escape(name) : path + "." + escape(name), v, facts));
    } else if (value instanceof Value.Array a) {
      if (a.items().isEmpty()) {
        facts.add(prefix + path + "=" + canon("[]"));
      }
      for (int i = 0; i < a.items().size(); i++) {
        walk(prefix, path + "[" + i + "]", a.items().get(i), facts);
      }
    } else if (value instanceof Value.Text t) {
      facts.add(prefix + path + "=" + canon(t.value()));
    } else if (value instanceof Value.Numeric n) {
      facts.add(prefix + path + "=" + canon(n.text()));
    } else if (value instanceof Value.Bool b) {
      facts.add(prefix + path + "=" + b.value());
    } else if (value instanceof Value.Binary b) {
      facts.add(prefix + path + "=" + canon(b.base64()));
    }
  }

  private static String escape(String name) {
    return SourcePath.root().field(name).toString();
  }

  /** Numbers by value, ISO timestamps by instant, the rest as text. */
  static String canon(String text) {
    if (TIMESTAMP.matcher(text).matches()) {
      return "ts:" + OffsetDateTime.parse(text).toInstant();
    }
    try {
      return "n:" + new BigDecimal(text).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return "s:" + text;
    }
  }

  private record Row(String table, String id, String parent, String root, int index, Map<String, String> values) {}

  private record Column(String name, String type, SourcePath path) {}

  /** Every fact the published schema holds, rejected values included, keyed by the root rows' key columns. */
  public static Set<String> facts(String jdbcUrl, String schema, String... keyColumns) throws SQLException {
    return facts(jdbcUrl, schema, null, keyColumns);
  }

  /**
   * As {@link #facts(String, String, String...)}; a column comment the warehouse kept cut (Redshift
   * keeps 256 bytes) takes its source path from {@code runSchema}, the run's schema document.
   */
  public static Set<String> facts(String jdbcUrl, String schema, io.observes.pipeline.schema.Schema runSchema,
      String... keyColumns) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      Map<String, List<Column>> columns = columns(c, schema, runSchema);
      Map<String, Row> rows = new HashMap<>();
      Map<String, SourcePath> tablePaths = new HashMap<>();
      for (Map.Entry<String, List<Column>> table : columns.entrySet()) {
        if (table.getKey().equals("_rejected") || table.getKey().startsWith("_observes_")) {
          continue;
        }
        tablePaths.put(table.getKey(), table.getValue().stream().filter(col -> col.path() != null)
            .findFirst().map(col -> col.path().enclosingElement()).orElse(SourcePath.root()));
        boolean child = table.getValue().stream().anyMatch(col -> col.name().equals("_parent_id"));
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM \"" + schema + "\".\"" + table.getKey() + "\"")) {
          while (r.next()) {
            Map<String, String> values = new HashMap<>();
            for (Column col : table.getValue()) {
              String v = col.type().equals("boolean") ? (r.getObject(col.name()) == null ? null : Boolean.toString(r.getBoolean(col.name())))
                  : col.type().startsWith("timestamp") ? (r.getTimestamp(col.name()) == null ? null : "ts:" + r.getTimestamp(col.name()).toInstant())
                  : r.getString(col.name());
              values.put(col.name(), v);
            }
            String id = values.get("_observes_id");
            rows.put(id, new Row(table.getKey(), id, child ? values.get("_parent_id") : null, child ? values.get("_root_id") : id,
                child ? Integer.parseInt(values.get("_index")) : -1, values));
          }
        }
      }
      Map<String, String> concrete = new HashMap<>();
      Set<String> facts = new TreeSet<>();
      for (Row row : rows.values()) {
        String prefix = keyOf(rows.get(row.root()), keyColumns);
        String here = concretePath(row, rows, tablePaths, concrete);
        concrete.put(row.id(), here);
        for (Column col : columns.get(row.table())) {
          String v = row.values().get(col.name());
          if (col.path() == null || v == null) {
            continue;
          }
          facts.add(prefix + join(here, col.path().stepsAfter(tablePaths.get(row.table()))) + "="
              + (v.startsWith("ts:") || col.type().equals("boolean") ? v : canon(v)));
        }
      }
      if (columns.containsKey("_rejected")) {
        // A long raw value is split into raw_parts parts: join them in order.
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT row_id, source_path, "
            + "string_agg(raw_value, '' ORDER BY raw_part) FROM \"" + schema + "\"._rejected GROUP BY row_id, source_path")) {
          while (r.next()) {
            Row row = rows.get(r.getString(1));
            SourcePath path = SourcePath.parse(r.getString(2));
            Value raw = JsonValues.parse(r.getString(3));
            facts.add(keyOf(rows.get(row.root()), keyColumns) + join(concrete.get(row.id()), path.stepsAfter(tablePaths.get(row.table())))
                + "=" + canon(((Value.Text) raw).value()));
          }
        }
      }
      return facts;
    }
  }

  private static String keyOf(Row root, String... keyColumns) {
    StringBuilder key = new StringBuilder(root.table()).append('|');
    for (int i = 0; i < keyColumns.length; i++) {
      key.append(i == 0 ? "" : "/").append(root.values().get(keyColumns[i]));
    }
    return key.append('|').toString();
  }

  private static String concretePath(Row row, Map<String, Row> rows, Map<String, SourcePath> tablePaths, Map<String, String> memo) {
    if (row.parent() == null) {
      return "";
    }
    String known = memo.get(row.id());
    if (known != null) {
      return known;
    }
    Row parent = rows.get(row.parent());
    String parentPath = concretePath(parent, rows, tablePaths, memo);
    memo.put(parent.id(), parentPath);
    List<String> steps = tablePaths.get(row.table()).stepsAfter(tablePaths.get(parent.table()));
    return join(parentPath, steps.subList(0, steps.size() - 1)) + "[" + row.index() + "]";
  }

  private static String join(String base, List<String> fields) {
    StringBuilder out = new StringBuilder(base);
    for (String field : fields) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(escape(field).startsWith(".") ? escape(field).substring(1) : escape(field));
    }
    return out.toString();
  }

  private static Map<String, List<Column>> columns(Connection c, String schema, io.observes.pipeline.schema.Schema runSchema)
      throws SQLException {
    Map<String, List<Column>> columns = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT cl.relname, a.attname, "
        + "format_type(a.atttypid, a.atttypmod), col_description(cl.oid, a.attnum) FROM pg_class cl "
        + "JOIN pg_namespace n ON n.oid = cl.relnamespace JOIN pg_attribute a ON a.attrelid = cl.oid "
        + "WHERE n.nspname = '" + schema + "' AND cl.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY cl.relname, a.attnum")) {
      while (r.next()) {
        String name = r.getString(2);
        String comment = r.getString(4);
        SourcePath path = BOOKKEEPING.contains(name) || comment == null || comment.startsWith(Lineage.DERIVED) ? null
            : comment.endsWith(" [...]") && runSchema != null ? pathOf(runSchema, r.getString(1), name)
            : SourcePath.parse(comment);
        columns.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new Column(name, r.getString(3), path));
      }
    }
    return columns;
  }

  private static SourcePath pathOf(io.observes.pipeline.schema.Schema runSchema, String table, String column) {
    return runSchema.tables().stream().filter(t -> t.name().equals(table)).flatMap(t -> t.columns().stream())
        .filter(col -> col.name().equals(column)).map(io.observes.pipeline.schema.Column::path).findFirst()
        .orElseThrow(() -> new IllegalStateException("the run's schema has no column " + table + "." + column));
  }

  /** Every fact of the source is in the warehouse, and the warehouse holds no other. */
  public static void assertHolds(Set<String> source, Set<String> warehouse) {
    Set<String> missing = new TreeSet<>(source);
    missing.removeAll(warehouse);
    Set<String> extra = new TreeSet<>(warehouse);
    extra.removeAll(source);
    org.assertj.core.api.Assertions.assertThat(missing).as("facts of the source not in the warehouse").isEmpty();
    org.assertj.core.api.Assertions.assertThat(extra).as("facts in the warehouse the source does not have").isEmpty();
  }
}
