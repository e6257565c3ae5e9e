package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a profile reads of the catalogue, once for the whole schema (per table, two catalogue reads
 * cost more than a small table's scan): per table its columns in order with their types as SQL spells
 * them ({@code VARCHAR(256)}), and their comments (the catalogue Redshift shares with PostgreSQL).
 */
record ProfileCatalogue(Map<String, Map<String, String>> types, Map<String, Map<String, String>> comments) {
  static ProfileCatalogue read(Connection c, String schema) throws SQLException {
    return new ProfileCatalogue(types(c, schema), comments(c, schema));
  }

  Map<String, String> types(String table) {
    return types.get(table);
  }

  Map<String, String> comments(String table) {
    return comments.getOrDefault(table, Map.of());
  }

  boolean has(String table) {
    return types.containsKey(table);
  }

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
