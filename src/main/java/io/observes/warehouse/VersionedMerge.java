package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The part of a merge that keeps versioned root tables from going back in time, inside the merge's
 * transaction and before any target row changes: staged rows (images and deletions) not newer than
 * what the target holds for their id (its row's version, or the version of the deletion that took
 * the row away) are dropped from staging with their staged child rows and rejected values; the
 * staged deletions that remain are recorded in the target's {@code _observes_deleted}. The merge
 * then replaces rows by id and by root as for any merged table, and inserts no deletion.
 * A target row without a version (loaded by a full refresh) is older than any staged change.
 */
final class VersionedMerge {
  /** The deletions a target keeps, per root table and row id, with their versions. */
  static final String DELETED = "_observes_deleted";
  private static final String TABLE = "table_name";
  private static final String VERSION = "version";

  private final BaseWarehouseClient sql;
  private final StagingTables staging;

  VersionedMerge(BaseWarehouseClient sql, StagingTables staging) {
    this.sql = sql;
    this.staging = staging;
  }

  /** Row ids are kept as the versioned root tables keep them. */
  private static ColumnType idType(List<TableUpdate> updates) {
    return updates.stream().filter(TableUpdate::versioned).flatMap(u -> u.table().columns().stream())
        .filter(col -> col.name().equals(MergeTransaction.ID)).map(TableDefinition.ColumnDefinition::type).findFirst()
        .orElseThrow(() -> new IllegalStateException("a versioned root table without " + MergeTransaction.ID));
  }

  void apply(Connection c, String stagingSchema, String target, List<TableUpdate> updates) throws SQLException {
    if (updates.stream().noneMatch(TableUpdate::versioned)) {
      return;
    }
    String deletions = sql.qualified(target, DELETED);
    if (!Catalogue.tableExists(c, target, DELETED)) {
      staging.create(c, target, new TableDefinition(DELETED, "Rows deleted at the source: kept so that an older change "
          + "applied later does not bring them back", List.of(
              new TableDefinition.ColumnDefinition(TABLE, ColumnType.varcharExactly(127),
                  "derived: the warehouse root table the deleted row was in"),
              new TableDefinition.ColumnDefinition(MergeTransaction.ID, idType(updates),
                  "derived: the _observes_id of the deleted root row"),
              new TableDefinition.ColumnDefinition(VERSION, ColumnType.BIGINT,
                  "derived: the source's write time of the deletion (the root table's version)"))));
    }
    for (TableUpdate update : updates) {
      if (!update.versioned()) {
        continue;
      }
      String table = update.table().name();
      String staged = sql.qualified(stagingSchema, table);
      String id = sql.quoted(MergeTransaction.ID);
      String version = sql.quoted(update.versionColumn());
      // Not newer than the target's row, or than the deletion that took it: dropped from staging.
      MergeTransaction.update(c, "DELETE FROM " + staged + " WHERE " + id + " IN (SELECT s." + id + " FROM " + staged
          + " s JOIN " + sql.qualified(target, table) + " t ON t." + id + " = s." + id + " WHERE t." + version
          + " IS NOT NULL AND t." + version + " >= s." + version + ")");
      try (PreparedStatement s = c.prepareStatement("DELETE FROM " + staged + " WHERE " + id + " IN (SELECT s." + id
          + " FROM " + staged + " s JOIN " + deletions + " d ON d." + id + " = s." + id + " WHERE d." + sql.quoted(TABLE)
          + " = ? AND d." + sql.quoted(VERSION) + " >= s." + version + ")")) {
        s.setString(1, table);
        s.executeUpdate();
      }
      for (TableUpdate child : updates) {
        if (table.equals(child.rootTable())) {
          String rows = sql.qualified(stagingSchema, child.table().name());
          MergeTransaction.update(c, "DELETE FROM " + rows + " WHERE " + sql.quoted(MergeTransaction.ROOT_ID)
              + " NOT IN (SELECT " + id + " FROM " + staged + ")");
        }
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM " + deletions + " WHERE " + sql.quoted(TABLE) + " = ? AND "
          + id + " IN (SELECT " + id + " FROM " + staged + ")")) {
        s.setString(1, table);
        s.executeUpdate();
      }
      if (update.deletedColumn() != null) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + deletions + " (" + sql.quoted(TABLE) + ", " + id
            + ", " + sql.quoted(VERSION) + ") SELECT ?, " + id + ", " + version + " FROM " + staged + " WHERE "
            + sql.quoted(update.deletedColumn()))) {
          s.setString(1, table);
          s.executeUpdate();
        }
      }
    }
    // The staged rejected values of rows dropped above go too (they belong to no staged row any more).
    for (TableUpdate rejected : updates) {
      if (rejected.mode() != TableUpdate.Mode.REJECTED_VALUES) {
        continue;
      }
      for (TableUpdate update : updates) {
        boolean pruned = update.versioned() || update.rootTable() != null && updates.stream()
            .anyMatch(u -> u.versioned() && u.table().name().equals(update.rootTable()));
        if (!pruned) {
          continue;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + sql.qualified(stagingSchema, rejected.table().name())
            + " WHERE " + sql.quoted(MergeTransaction.REJECTED_TABLE_NAME) + " = ? AND " + sql.quoted(MergeTransaction.REJECTED_ROW_ID)
            + " NOT IN (SELECT " + sql.quoted(MergeTransaction.ID) + " FROM " + sql.qualified(stagingSchema, update.table().name())
            + ")")) {
          s.setString(1, update.table().name());
          s.executeUpdate();
        }
      }
    }
  }
}
