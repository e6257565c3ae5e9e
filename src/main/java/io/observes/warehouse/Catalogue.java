package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether a schema or table exists, read on a connection in hand (so inside the caller's transaction)
 * from the catalogue both warehouses share; names go in as bind parameters, never as identifiers.
 */
final class Catalogue {
  private Catalogue() {}

  static boolean schemaExists(Connection c, String schema) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  static boolean tableExists(Connection c, String schema, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
      s.setString(1, schema);
      s.setString(2, table);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }
}
