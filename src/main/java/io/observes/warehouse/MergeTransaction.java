package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Publishes a staging schema into a target that persists across runs, in ONE transaction that
 * first proves the staging schema belongs to the run: tables created or given the run's new
 * columns, replaced tables rebuilt, merged tables' rows with the staged keys replaced (a root row by
 * its id, child rows by their root), the rejected values of replaced rows with them, the run's
 * owner row, the staging schema dropped. Readers see the data before or after, never between.
 *
 * <p>Column types only widen, and only where no value changes: text to longer text, exact numbers
 * to wider exact numbers or to text; a column holding no value yet takes any type. Anything else is
 * refused with what to do. Redshift changes a VARCHAR's length only outside a transaction block, so
 * that widening (which loses nothing, and which a rerun finds done) commits before the transaction;
 * every other widening, and a lengthening Redshift refuses, rebuilds the column inside it.
 */
final class MergeTransaction {
  /** The rejected-values table's columns the merge needs (named so by the pipeline's schema). */
  static final String REJECTED_ROW_ID = "row_id";
  static final String REJECTED_TABLE_NAME = "table_name";
  /** The rejected-values table itself, as the pipeline's schema names it in every target. */
  static final String REJECTED_TABLE = "_rejected";
  static final String ID = "_observes_id";
  static final String ROOT_ID = "_root_id";
  /** The rebuilt column's name until it takes the old one's; the rebuild is one transaction, so never left behind. */
  static final String WIDENED = "_observes_widened";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MergeTransaction.class);

  private final BaseWarehouseClient sql;
  private final StagingTables staging;

  MergeTransaction(BaseWarehouseClient sql, StagingTables staging) {
    this.sql = sql;
    this.staging = staging;
  }

  /** {@code check} runs last, under the target's lock, just before the commit (see {@link LeaseCheck}). */
  Map<String, RowChanges> publish(String stagingSchema, String target, List<TableUpdate> updates, String run,
      LeaseCheck check) {
    if (!sql.typeChangesInTransaction()) {
      List<String> widenings = sql.inTransaction("planning the update of " + target, c -> {
        // Checked here too only to spare a run that lost its lease the widening; the merge's own check decides.
        check.verify(staging.requireOwner(c, stagingSchema, run, "publish " + target).lease());
        return textWidenings(c, target, updates);
      });
      for (String alter : widenings) {
        try {
          sql.autocommit("widening a column of " + target, c -> {
            sql.execute(c, alter);
            return null;
          });
        } catch (WarehouseException e) {
          LOG.info("the warehouse refused to lengthen a column of {} in place ({}); the merge rebuilds it instead",
              target, e.getMessage());
        }
      }
    }
    String lock = sql.targetLock(stagingSchema);
    return sql.inTransaction("merging " + stagingSchema + " into " + target, c -> {
      Map<String, RowChanges> changes = new java.util.LinkedHashMap<>();
      sql.lockExclusive(c, lock);
      StagingOwner owner = staging.requireOwner(c, stagingSchema, run, "publish " + target);
      sql.execute(c, "CREATE SCHEMA IF NOT EXISTS " + sql.quoted(target));
      Map<String, Long> replaced = new java.util.HashMap<>();
      for (TableUpdate update : updates) {
        replaced.put(update.table().name(), prepare(c, target, update));
      }
      new VersionedMerge(sql, staging).apply(c, stagingSchema, target, updates);
      Map<String, Long> absent = new AbsentChildren(sql).delete(c, stagingSchema, target, updates, REJECTED_TABLE);
      // The rejected values of every row this run replaces or deletes go, whether or not it rejected anything itself.
      long cleared = Catalogue.tableExists(c, target, REJECTED_TABLE)
          ? clearRejections(c, stagingSchema, target, updates) : 0;
      for (TableUpdate update : updates) {
        long[] deletedAndInserted = write(c, stagingSchema, target, update);
        long deleted = deletedAndInserted[0];
        long inserted = deletedAndInserted[1];
        changes.put(update.table().name(), switch (update.mode()) {
          case REPLACE -> new RowChanges(inserted, 0, replaced.get(update.table().name()));
          case MERGE_BY_ID -> new RowChanges(inserted - deleted, deleted, deletedAndInserted[2]);
          case MERGE_BY_ROOT -> new RowChanges(inserted, 0, deleted);
          case REJECTED_VALUES -> new RowChanges(inserted, 0, cleared);
          case RETIRED -> new RowChanges(0, 0, replaced.get(update.table().name()));
        });
      }
      // Child tables the run staged nothing for lost the rows of replaced or deleted roots all the same.
      absent.forEach((table, rows) -> changes.put(table, new RowChanges(0, 0, rows)));
      staging.copyOwner(c, stagingSchema, target);
      sql.execute(c, "DROP SCHEMA " + sql.quoted(stagingSchema) + " CASCADE");
      staging.grantReaders(c, target);
      check.verify(owner.lease());
      return changes;
    });
  }

  /**
   * A replaced table is rebuilt; a merged one is created, or gets the run's new and widened columns.
   * Returns the rows a replaced table held.
   */
  private long prepare(Connection c, String target, TableUpdate update) throws SQLException {
    TableDefinition table = update.target();
    if (update.mode() == TableUpdate.Mode.REPLACE || update.mode() == TableUpdate.Mode.RETIRED) {
      long held = Catalogue.tableExists(c, target, table.name()) ? sql.rows(c, sql.qualified(target, table.name())) : 0;
      sql.execute(c, "DROP TABLE IF EXISTS " + sql.qualified(target, table.name()));
      if (update.mode() == TableUpdate.Mode.REPLACE) {
        staging.create(c, target, table);
      }
      return held;
    }
    Map<String, Optional<ColumnType>> existing = TargetColumns.of(c, target, table.name());
    if (existing.isEmpty()) {
      staging.create(c, target, table);
      return 0;
    }
    String qualified = sql.qualified(target, table.name());
    for (TableDefinition.ColumnDefinition column : table.columns()) {
      ColumnType wanted = Widening.created(column.type());
      if (!existing.containsKey(column.name())) {
        addColumn(c, qualified, column, wanted);
        continue;
      }
      Optional<ColumnType> has = existing.get(column.name());
      if (has.isPresent() && Widening.holdsUnchanged(has.get(), wanted)) {
        continue;
      }
      if (!hasValues(c, qualified, column.name())) {
        // No value to change: the column is made again with the type the run needs.
        sql.execute(c, "ALTER TABLE " + qualified + " DROP COLUMN " + sql.quoted(column.name()));
        addColumn(c, qualified, column, wanted);
        continue;
      }
      if (has.isEmpty()) {
        throw refused(target, table, column, "a type Observes does not create");
      }
      ColumnType widened = has.get().lub(wanted);
      if (!Widening.keepsValues(has.get(), widened) || !Widening.keepsValues(wanted, widened)) {
        throw refused(target, table, column, has.get() + ", and its values would have to change kind to take this run's "
            + wanted + " values");
      }
      if (sql.typeChangesInTransaction()) {
        sql.execute(c, sql.widenColumnSql(qualified, column.name(), has.get(), widened)
            .orElseThrow(() -> refused(target, table, column, has.get() + ", which cannot be widened to " + widened)));
      } else {
        rebuild(c, qualified, column, widened);
      }
    }
    // A column made by an earlier release may say something else of its values (a legacy name for
    // a path): the comment follows the run's lineage, in the same transaction.
    staging.recomment(c, target, table);
    return 0;
  }

  /**
   * Widens a column where ALTER COLUMN TYPE cannot (Redshift: only a longer VARCHAR, and never in a
   * transaction block; https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html): a column of
   * the wider type is added, given every value, the old one dropped and the new one renamed into its
   * place and commented again, all inside the merge transaction, so readers see the old column or the
   * new one. The column moves to the end of the table; every statement of Observes names its columns.
   */
  private void rebuild(Connection c, String qualified, TableDefinition.ColumnDefinition column, ColumnType to)
      throws SQLException {
    String type = sql.typeSql(to);
    String widened = sql.quoted(WIDENED);
    sql.execute(c, "ALTER TABLE " + qualified + " ADD COLUMN " + widened + " " + type);
    sql.execute(c, "UPDATE " + qualified + " SET " + widened + " = CAST(" + sql.quoted(column.name()) + " AS " + type + ")");
    sql.execute(c, "ALTER TABLE " + qualified + " DROP COLUMN " + sql.quoted(column.name()));
    sql.execute(c, "ALTER TABLE " + qualified + " RENAME COLUMN " + widened + " TO " + sql.quoted(column.name()));
    staging.comment(c, "COLUMN " + qualified + "." + sql.quoted(column.name()), column.comment());
  }

  /**
   * VARCHAR lengths to grow before the transaction (Redshift changes them only outside one); a
   * length Redshift refuses to change (some encodings, automatic sort or distribution keys) is left
   * to the rebuild inside the transaction.
   */
  private List<String> textWidenings(Connection c, String target, List<TableUpdate> updates) throws SQLException {
    List<String> alters = new ArrayList<>();
    for (TableUpdate update : updates) {
      if (update.mode() == TableUpdate.Mode.REPLACE || update.mode() == TableUpdate.Mode.RETIRED
          || !Catalogue.tableExists(c, target, update.table().name())) {
        continue;
      }
      String qualified = sql.qualified(target, update.table().name());
      Map<String, Optional<ColumnType>> existing = TargetColumns.of(c, target, update.table().name());
      for (TableDefinition.ColumnDefinition column : update.table().columns()) {
        Optional<ColumnType> has = existing.getOrDefault(column.name(), Optional.empty());
        ColumnType wanted = Widening.created(column.type());
        if (has.isPresent() && has.get().family() == ColumnType.Family.VARCHAR && wanted.family() == ColumnType.Family.VARCHAR
            && wanted.length() > has.get().length() && hasValues(c, qualified, column.name())) {
          sql.widenColumnSql(qualified, column.name(), has.get(), wanted).ifPresent(alters::add);
        }
      }
    }
    return alters;
  }

  private void addColumn(Connection c, String qualified, TableDefinition.ColumnDefinition column, ColumnType type)
      throws SQLException {
    sql.execute(c, "ALTER TABLE " + qualified + " ADD COLUMN " + sql.quoted(column.name()) + " " + sql.typeSql(type));
    staging.comment(c, "COLUMN " + qualified + "." + sql.quoted(column.name()), column.comment());
  }

  private WarehouseException refused(String target, TableDefinition table, TableDefinition.ColumnDefinition column,
      String why) {
    return new WarehouseException("cannot update " + target + "." + table.name() + ": its column " + column.name()
        + " holds values as " + why + ". Nothing was changed. Declare the column's type in the ETL's stream, or drop "
        + target + "." + table.name() + " so that the next run creates it afresh (a differential source then needs its "
        + "state reset to fetch its history again).");
  }

  private boolean hasValues(Connection c, String qualified, String column) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1 FROM " + qualified + " WHERE " + sql.quoted(column) + " IS NOT NULL LIMIT 1")) {
      return r.next();
    }
  }

  /** The rejected values of every row this run replaces go with them, before the rows do. */
  private long clearRejections(Connection c, String stagingSchema, String target, List<TableUpdate> updates)
      throws SQLException {
    long cleared = 0;
    String rejected = sql.qualified(target, REJECTED_TABLE);
    String byTable = "DELETE FROM " + rejected + " WHERE " + sql.quoted(REJECTED_TABLE_NAME) + " = ?";
    for (TableUpdate update : updates) {
      String table = update.table().name();
      String rows = switch (update.mode()) {
        case REPLACE, REJECTED_VALUES, RETIRED -> null;
        case MERGE_BY_ID -> "SELECT " + sql.quoted(ID) + " FROM " + sql.qualified(stagingSchema, table);
        case MERGE_BY_ROOT -> "SELECT " + sql.quoted(ID) + " FROM " + sql.qualified(target, table) + " WHERE "
            + sql.quoted(ROOT_ID) + " IN (SELECT " + sql.quoted(ID) + " FROM " + sql.qualified(stagingSchema, update.rootTable()) + ")";
      };
      if (update.mode() == TableUpdate.Mode.REJECTED_VALUES) {
        continue;
      }
      try (PreparedStatement s = c.prepareStatement(rows == null ? byTable
          : byTable + " AND " + sql.quoted(REJECTED_ROW_ID) + " IN (" + rows + ")")) {
        s.setString(1, table);
        cleared += s.executeUpdate();
      }
    }
    return cleared;
  }

  /**
   * Deletes the target rows the staged ones replace and inserts the staged ones: returns {replaced,
   * inserted, deleted by a staged deletion}.
   */
  private long[] write(Connection c, String stagingSchema, String target, TableUpdate update) throws SQLException {
    if (update.mode() == TableUpdate.Mode.RETIRED) {
      return new long[] {0, 0, 0};
    }
    String table = update.table().name();
    String into = sql.qualified(target, table);
    String from = sql.qualified(stagingSchema, table);
    long gone = 0;
    if (update.deletedColumn() != null) {
      gone = update(c, "DELETE FROM " + into + " WHERE " + sql.quoted(ID) + " IN (SELECT " + sql.quoted(ID) + " FROM "
          + from + " WHERE " + sql.quoted(update.deletedColumn()) + ")");
    }
    long deleted = switch (update.mode()) {
      case MERGE_BY_ID -> update(c, "DELETE FROM " + into + " WHERE " + sql.quoted(ID) + " IN (SELECT "
          + sql.quoted(ID) + " FROM " + from + ")");
      case MERGE_BY_ROOT -> update(c, "DELETE FROM " + into + " WHERE " + sql.quoted(ROOT_ID) + " IN (SELECT "
          + sql.quoted(ID) + " FROM " + sql.qualified(stagingSchema, update.rootTable()) + ")");
      default -> 0;
    };
    String columns = update.target().columns().stream().map(col -> sql.quoted(col.name())).collect(Collectors.joining(", "));
    // A deletion's row was only staged to take the target's row away; it is never inserted.
    String live = update.deletedColumn() == null ? "" : " WHERE " + sql.quoted(update.deletedColumn()) + " IS NULL OR NOT "
        + sql.quoted(update.deletedColumn());
    long inserted = update(c, "INSERT INTO " + into + " (" + columns + ") SELECT " + columns + " FROM " + from + live);
    return new long[] {deleted, inserted, gone};
  }

  static long update(Connection c, String statement) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(statement);
    }
  }
}
