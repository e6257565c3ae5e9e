package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Profiles published tables with ONE scan each: a single SELECT counts the rows, the non-NULL
 * values of every column ({@code COUNT(col)} skips NULLs, so NULLs = rows - count), the distinct
 * values of the key and, for a child table, the rows whose parent is gone, through a LEFT JOIN to the
 * parent (a one-column read on Redshift's columnar storage). Parents are profiled first: when the
 * parent's keys were just counted unique the join reads the parent table as it is, otherwise its
 * {@code SELECT DISTINCT} keys, so that a repeated parent key never counts a child row twice (the
 * de-duplication was a third of a child's scan on PostgreSQL). Columns, types and comments come from the
 * catalogue, read once for the schema (each table's time includes its share of that). All tables are
 * read in one transaction, so a parent and its children are seen at the same moment.
 */
final class TableProfiler {
  private static final String TABLE = "t";
  private static final String PARENT = "p";

  private final BaseWarehouseClient sql;

  TableProfiler(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  List<TableProfile> profile(String schema, List<ProfileRequest> requests) {
    return sql.inTransaction("profiling the tables of " + schema, c -> {
      // The catalogue once for the whole schema: per table, two catalogue reads cost more than a small table's scan.
      long start = System.nanoTime();
      sql.beginProfile(c);
      Map<String, Map<String, String>> types = types(c, schema);
      Map<String, Map<String, String>> comments = comments(c, schema);
      long catalogue = System.nanoTime() - start;
      // Tables without a parent first, so that a child sees whether its parent's keys are unique.
      Map<String, TableProfile> done = new LinkedHashMap<>();
      for (boolean children : new boolean[] {false, true}) {
        for (ProfileRequest request : requests) {
          if (request.hasParent() == children && types.containsKey(request.table())) {
            done.put(request.table(), profile(c, schema, request, types, comments.getOrDefault(request.table(), Map.of()),
                catalogue / Math.max(1, requests.size()), done.get(request.parentTable())));
          }
        }
      }
      List<TableProfile> profiles = new ArrayList<>();
      for (ProfileRequest request : requests) {
        if (done.containsKey(request.table())) {
          profiles.add(done.get(request.table()));
        }
      }
      return profiles;
    });
  }

  private TableProfile profile(Connection c, String schema, ProfileRequest request, Map<String, Map<String, String>> all,
      Map<String, String> comments, long catalogueShare, TableProfile parent) throws SQLException {
    long start = System.nanoTime() - catalogueShare;
    Map<String, String> types = all.get(request.table());
    boolean keyed = request.keyColumn() != null && types.containsKey(request.keyColumn());
    boolean linked = request.hasParent() && types.containsKey(request.parentColumn()) && all.containsKey(request.parentTable());
    StringBuilder select = new StringBuilder("SELECT COUNT(*)");
    for (String column : types.keySet()) {
      select.append(", COUNT(").append(column(TABLE, column)).append(')');
    }
    if (keyed) {
      select.append(", ").append(sql.distinctCount(column(TABLE, request.keyColumn())));
    }
    if (linked) {
      select.append(", SUM(CASE WHEN ").append(column(TABLE, request.parentColumn())).append(" IS NOT NULL AND ")
          .append(column(PARENT, request.parentKey())).append(" IS NULL THEN 1 ELSE 0 END)");
    }
    select.append(" FROM ").append(sql.qualified(schema, request.table())).append(' ').append(sql.quoted(TABLE));
    if (linked && uniqueKeys(parent, request.parentKey())) {
      // Keys seen unique in this transaction: the parent table itself joins each child row at most once.
      select.append(" LEFT JOIN ").append(sql.qualified(schema, request.parentTable())).append(' ').append(sql.quoted(PARENT));
    } else if (linked) {
      select.append(" LEFT JOIN (SELECT DISTINCT ").append(sql.quoted(request.parentKey())).append(" FROM ")
          .append(sql.qualified(schema, request.parentTable())).append(") ").append(sql.quoted(PARENT));
    }
    if (linked) {
      select.append(" ON ").append(column(PARENT, request.parentKey())).append(" = ").append(column(TABLE, request.parentColumn()));
    }
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(select.toString())) {
      r.next();
      long rows = r.getLong(1);
      List<TableProfile.ColumnProfile> columns = new ArrayList<>();
      int at = 2;
      for (Map.Entry<String, String> column : types.entrySet()) {
        columns.add(new TableProfile.ColumnProfile(column.getKey(), column.getValue(), rows - r.getLong(at++),
            comments.get(column.getKey())));
      }
      Long distinct = keyed ? r.getLong(at++) : null;
      // SUM over no rows is NULL: an empty child table has no orphan.
      Long orphans = linked ? r.getLong(at) : null;
      return new TableProfile(request.table(), rows, keyed ? request.keyColumn() : null, distinct,
          linked ? request.parentTable() : null, orphans, columns, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Whether {@code parent}, profiled earlier in this transaction, has as many distinct {@code key}s as
   * rows (COUNT(DISTINCT) skips NULLs, so this also means no NULL key).
   */
  private static boolean uniqueKeys(TableProfile parent, String key) {
    return parent != null && key.equals(parent.keyColumn()) && parent.keyDistinct() != null
        && parent.keyDistinct() == parent.rows();
  }

  private String column(String alias, String column) {
    return sql.quoted(alias) + "." + sql.quoted(column);
  }

  /** Per table of {@code schema}, its columns in order, each with its type as SQL spells it ({@code VARCHAR(256)}). */
  private static Map<String, Map<String, String>> types(Connection c, String schema) throws SQLException {
    Map<String, Map<String, String>> types = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT table_name, column_name, data_type, character_maximum_length, "
        + "numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = ? "
        + "ORDER BY table_name, ordinal_position")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          types.computeIfAbsent(r.getString(1), t -> new LinkedHashMap<>())
              .put(r.getString(2), type(r.getString(3), r.getInt(4), r.getInt(5), r.getInt(6)));
        }
      }
    }
    return types;
  }

  /** Per table of {@code schema}, the comments of its columns (the catalogue Redshift shares with PostgreSQL). */
  private static Map<String, Map<String, String>> comments(Connection c, String schema) throws SQLException {
    Map<String, Map<String, String>> comments = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT cl.relname, a.attname, d.description FROM pg_catalog.pg_attribute a "
        + "JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace "
        + "JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum "
        + "WHERE n.nspname = ? AND a.attnum > 0")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          comments.computeIfAbsent(r.getString(1), t -> new LinkedHashMap<>()).put(r.getString(2), r.getString(3));
        }
      }
    }
    return comments;
  }

  static String type(String dataType, int length, int precision, int scale) {
    String upper = dataType.toUpperCase(Locale.ROOT);
    return switch (dataType) {
      case "character varying" -> "VARCHAR(" + length + ")";
      case "character" -> "CHAR(" + length + ")";
      case "numeric" -> "NUMERIC(" + precision + "," + scale + ")";
      case "timestamp with time zone" -> "TIMESTAMPTZ";
      case "timestamp without time zone" -> "TIMESTAMP";
      default -> upper;
    };
  }
}
