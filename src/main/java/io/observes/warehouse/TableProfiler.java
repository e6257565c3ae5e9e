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
 * parent's distinct keys (a one-column read on Redshift's columnar storage; DISTINCT keeps a
 * repeated parent key from counting a child row twice). Columns, types and comments come from the
 * catalogue. All tables are read in one transaction, so a parent and its children are seen at the
 * same moment.
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
      List<TableProfile> profiles = new ArrayList<>();
      for (ProfileRequest request : requests) {
        if (sql.tableExists(c, schema, request.table())) {
          profiles.add(profile(c, schema, request));
        }
      }
      return profiles;
    });
  }

  private TableProfile profile(Connection c, String schema, ProfileRequest request) throws SQLException {
    long start = System.nanoTime();
    Map<String, String> types = types(c, schema, request.table());
    Map<String, String> comments = TargetColumns.comments(c, schema, request.table());
    boolean keyed = request.keyColumn() != null && types.containsKey(request.keyColumn());
    boolean linked = request.hasParent() && types.containsKey(request.parentColumn())
        && sql.tableExists(c, schema, request.parentTable());
    StringBuilder select = new StringBuilder("SELECT COUNT(*)");
    for (String column : types.keySet()) {
      select.append(", COUNT(").append(column(TABLE, column)).append(')');
    }
    if (keyed) {
      select.append(", COUNT(DISTINCT ").append(column(TABLE, request.keyColumn())).append(')');
    }
    if (linked) {
      select.append(", SUM(CASE WHEN ").append(column(TABLE, request.parentColumn())).append(" IS NOT NULL AND ")
          .append(column(PARENT, request.parentKey())).append(" IS NULL THEN 1 ELSE 0 END)");
    }
    select.append(" FROM ").append(sql.qualified(schema, request.table())).append(' ').append(sql.quoted(TABLE));
    if (linked) {
      select.append(" LEFT JOIN (SELECT DISTINCT ").append(sql.quoted(request.parentKey())).append(" FROM ")
          .append(sql.qualified(schema, request.parentTable())).append(") ").append(sql.quoted(PARENT)).append(" ON ")
          .append(column(PARENT, request.parentKey())).append(" = ").append(column(TABLE, request.parentColumn()));
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

  private String column(String alias, String column) {
    return sql.quoted(alias) + "." + sql.quoted(column);
  }

  /** The table's columns in order, each with its type as SQL spells it ({@code VARCHAR(256)}, {@code NUMERIC(38,2)}). */
  private static Map<String, String> types(Connection c, String schema, String table) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type, character_maximum_length, "
        + "numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        + "ORDER BY ordinal_position")) {
      s.setString(1, schema);
      s.setString(2, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          types.put(r.getString(1), type(r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5)));
        }
      }
    }
    return types;
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
