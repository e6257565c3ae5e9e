package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The columns an existing table has, read from {@code information_schema.columns} (both warehouses
 * have it) as the types Observes creates; a type Observes does not create is empty. Their comments
 * come from the catalogue Redshift shares with PostgreSQL ({@code pg_description}).
 */
final class TargetColumns {
  private TargetColumns() {}

  static Map<String, Optional<ColumnType>> of(Connection c, String schema, String table) throws SQLException {
    Map<String, Optional<ColumnType>> columns = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type, character_maximum_length, "
        + "numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        + "ORDER BY ordinal_position")) {
      s.setString(1, schema);
      s.setString(2, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          columns.put(r.getString(1), type(r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5)));
        }
      }
    }
    return columns;
  }

  /** The comments of an existing table's columns by name; a column without one is absent. */
  static Map<String, String> comments(Connection c, String schema, String table) throws SQLException {
    Map<String, String> comments = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT a.attname, d.description FROM pg_catalog.pg_attribute a "
        + "JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace "
        + "JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum "
        + "WHERE n.nspname = ? AND cl.relname = ? AND a.attnum > 0")) {
      s.setString(1, schema);
      s.setString(2, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          comments.put(r.getString(1), r.getString(2));
        }
      }
    }
    return comments;
  }

  static Optional<ColumnType> type(String dataType, int length, int precision, int scale) {
    return Optional.ofNullable(switch (dataType) {
      case "character varying" -> length > 0 && length <= ColumnType.MAX_VARCHAR ? ColumnType.varcharExactly(length) : null;
      case "smallint" -> ColumnType.SMALLINT;
      case "integer" -> ColumnType.INTEGER;
      case "bigint" -> ColumnType.BIGINT;
      case "boolean" -> ColumnType.BOOLEAN;
      case "double precision" -> ColumnType.DOUBLE;
      case "timestamp with time zone" -> ColumnType.TIMESTAMPTZ;
      case "numeric" -> precision >= 1 && precision <= ColumnType.MAX_PRECISION && scale >= 0 && scale <= precision
          ? ColumnType.numeric(precision, scale) : null;
      default -> null;
    });
  }
}
