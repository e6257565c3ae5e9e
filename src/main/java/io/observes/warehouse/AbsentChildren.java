package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Child rows of replaced or deleted roots in target tables this run staged nothing for: a record
 * whose list is now empty (or a deleted record, which has no lists) leaves no staged child table,
 * yet its earlier child rows must go, with their rejected values. Row ids are hashes of the stream
 * and key, unique across tables, so every target table with a {@code _root_id} column is searched.
 */
final class AbsentChildren {
  private final BaseWarehouseClient sql;

  AbsentChildren(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  /** Returns the rows deleted per target table (those that had any). */
  java.util.Map<String, Long> delete(Connection c, String stagingSchema, String target, List<TableUpdate> updates,
      String rejectedTable) throws SQLException {
    java.util.Map<String, Long> deleted = new java.util.TreeMap<>();
    Set<String> staged = updates.stream().map(u -> u.table().name()).collect(Collectors.toSet());
    List<String> absent = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT table_name FROM information_schema.columns WHERE table_schema = ? "
        + "AND column_name = ? ORDER BY table_name")) {
      s.setString(1, target);
      s.setString(2, MergeTransaction.ROOT_ID);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          if (!staged.contains(r.getString(1))) {
            absent.add(r.getString(1));
          }
        }
      }
    }
    boolean rejected = !absent.isEmpty() && Catalogue.tableExists(c, target, rejectedTable);
    for (TableUpdate root : updates) {
      if (root.mode() != TableUpdate.Mode.MERGE_BY_ID) {
        continue;
      }
      String roots = "SELECT " + sql.quoted(MergeTransaction.ID) + " FROM " + sql.qualified(stagingSchema, root.table().name());
      for (String table : absent) {
        String rows = sql.qualified(target, table);
        String ofRoots = " WHERE " + sql.quoted(MergeTransaction.ROOT_ID) + " IN (" + roots + ")";
        if (rejected) {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM " + sql.qualified(target, rejectedTable) + " WHERE "
              + sql.quoted(MergeTransaction.REJECTED_TABLE_NAME) + " = ? AND " + sql.quoted(MergeTransaction.REJECTED_ROW_ID)
              + " IN (SELECT " + sql.quoted(MergeTransaction.ID) + " FROM " + rows + ofRoots + ")")) {
            s.setString(1, table);
            s.executeUpdate();
          }
        }
        long gone = MergeTransaction.update(c, "DELETE FROM " + rows + ofRoots);
        if (gone > 0) {
          deleted.merge(table, gone, Long::sum);
        }
      }
    }
    return deleted;
  }
}
