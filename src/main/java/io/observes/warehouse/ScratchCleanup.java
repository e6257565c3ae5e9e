package io.observes.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what {@code observes warehouse check} left behind: its scratch schemas and the tables of
 * {@code observes_meta} named after one of them (their lock tables). Each drop is its own transaction,
 * so one that fails leaves the others done and the failure names what remains.
 */
final class ScratchCleanup {
  private final BaseWarehouseClient sql;

  ScratchCleanup(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  /** Drops {@code schemas} and their lock tables in {@code observes_meta}; returns what it dropped. */
  List<String> drop(List<String> schemas) {
    List<String> dropped = new ArrayList<>();
    for (String schema : schemas) {
      boolean existed = sql.inTransaction("dropping scratch schema " + schema, c -> {
        boolean exists = Catalogue.schemaExists(c, schema);
        sql.execute(c, "DROP SCHEMA IF EXISTS " + sql.quoted(schema) + " CASCADE");
        return exists;
      });
      if (existed) {
        dropped.add(schema);
      }
    }
    List<String> meta = sql.inTransaction("listing the tables of " + BaseWarehouseClient.META_SCHEMA, c -> {
      List<String> tables = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name")) {
        s.setString(1, BaseWarehouseClient.META_SCHEMA);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            tables.add(r.getString(1));
          }
        }
      }
      return tables;
    });
    for (String table : meta) {
      if (schemas.stream().noneMatch(table::contains)) {
        continue;
      }
      sql.inTransaction("dropping " + BaseWarehouseClient.META_SCHEMA + "." + table, c -> {
        sql.execute(c, "DROP TABLE IF EXISTS " + sql.qualified(BaseWarehouseClient.META_SCHEMA, table));
        return null;
      });
      dropped.add(BaseWarehouseClient.META_SCHEMA + "." + table);
    }
    return dropped;
  }
}
