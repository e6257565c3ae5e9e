package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The staging schema's life: prepared whole in one transaction (tables, comments, bookkeeping and
 * the owner row last), and swapped into the target in one transaction that first proves the staging
 * schema still belongs to the run publishing it. Both take the target's lock ({@link TargetLocks})
 * first and exclusively, so they never interleave with each other or with a load of that target.
 */
final class StagingTables {
  private final BaseWarehouseClient sql;

  StagingTables(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  Optional<StagingOwner> owner(Connection c, String schema) throws SQLException {
    if (!sql.tableExists(c, schema, BaseWarehouseClient.RUN_TABLE)) {
      return Optional.empty();
    }
    try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("run_id", "inputs", "prepared_at") + " FROM "
        + sql.qualified(schema, BaseWarehouseClient.RUN_TABLE));
        ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(new StagingOwner(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant()))
          : Optional.empty();
    }
  }

  void prepare(String schema, StagingOwner owner, List<TableDefinition> tables) {
    String lock = sql.targetLock(schema);
    sql.inTransaction("preparing staging schema " + schema, c -> {
      sql.lockExclusive(c, lock);
      sql.execute(c, "DROP SCHEMA IF EXISTS " + sql.quoted(schema) + " CASCADE");
      sql.execute(c, "CREATE SCHEMA " + sql.quoted(schema));
      String loads = sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE);
      sql.execute(c, "CREATE TABLE " + loads + " (" + sql.columnDefinitions("run_id", "VARCHAR(128) NOT NULL",
          "table_name", "VARCHAR(127) NOT NULL", "inputs", "VARCHAR(65535) NOT NULL", "rows", "BIGINT NOT NULL",
          "copies", "INTEGER NOT NULL", "loaded_at", "TIMESTAMPTZ NOT NULL")
          + ", PRIMARY KEY (" + sql.columnList("run_id", "table_name") + "))");
      comment(c, "TABLE " + loads, "Observes load bookkeeping: one row per run and table loaded into this schema, "
          + "committed with its COPY; inputs names each segment's staging the rows come from.");
      for (TableDefinition table : tables) {
        create(c, schema, table);
      }
      String run = sql.qualified(schema, BaseWarehouseClient.RUN_TABLE);
      sql.execute(c, "CREATE TABLE " + run + " (" + sql.columnDefinitions("run_id", "VARCHAR(128) NOT NULL",
          "inputs", "VARCHAR(128) NOT NULL", "prepared_at", "TIMESTAMPTZ NOT NULL") + ")");
      comment(c, "TABLE " + run, "The Observes run whose data this schema holds, and a digest of its staged segments.");
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + run + " (" + sql.columnList("run_id", "inputs",
          "prepared_at") + ") VALUES (?, ?, ?)")) {
        s.setString(1, owner.run());
        s.setString(2, owner.inputs());
        s.setTimestamp(3, Timestamp.from(owner.prepared()));
        s.executeUpdate();
      }
      return null;
    });
  }

  void create(Connection c, String schema, TableDefinition table) throws SQLException {
    String columns = table.columns().stream()
        .map(col -> sql.quoted(col.name()) + " " + sql.typeSql(col.type()))
        .collect(Collectors.joining(", "));
    String qualified = sql.qualified(schema, table.name());
    sql.execute(c, "CREATE TABLE " + qualified + " (" + columns + ")");
    comment(c, "TABLE " + qualified, table.comment());
    for (TableDefinition.ColumnDefinition col : table.columns()) {
      comment(c, "COLUMN " + qualified + "." + sql.quoted(col.name()), col.comment());
    }
  }

  /** A comment longer than the warehouse keeps is cut, saying so; the run's schema document has it whole. */
  void comment(Connection c, String object, String text) throws SQLException {
    String fitted = Utf8Text.cut(text, sql.dialect().maxCommentBytes(), " [...]");
    sql.execute(c, "COMMENT ON " + object + " IS " + sql.literal(fitted));
  }

  /** The owner of {@code schema} must be {@code run}, or the staging was taken over: refuse. */
  void requireOwner(Connection c, String schema, String run, String doing) throws SQLException {
    Optional<StagingOwner> owner = owner(c, schema);
    if (owner.isEmpty()) {
      throw new WarehouseException("cannot " + doing + " for run " + run + ": " + schema + " does not exist or was not "
          + "prepared by Observes. Run phase2 for run " + run + " first.");
    }
    if (!owner.get().run().equals(run)) {
      throw new WarehouseException("cannot " + doing + " for run " + run + ": " + schema + " now belongs to run "
          + owner.get().run() + " (prepared at " + owner.get().prepared() + "), whose phase2 replaced run " + run
          + "'s staging. Let run " + owner.get().run() + " finish, or start run " + run + " again from phase2.");
    }
  }

  void swap(String staging, String target, String backup, String run) {
    String lock = sql.targetLock(staging);
    sql.inTransaction("swapping " + staging + " into " + target, c -> {
      sql.lockExclusive(c, lock);
      requireOwner(c, staging, run, "publish " + target);
      boolean hasTarget = sql.schemaExists(c, target);
      sql.execute(c, "DROP SCHEMA IF EXISTS " + sql.quoted(backup) + " CASCADE");
      if (hasTarget) {
        sql.execute(c, "ALTER SCHEMA " + sql.quoted(target) + " RENAME TO " + sql.quoted(backup));
      }
      sql.execute(c, "ALTER SCHEMA " + sql.quoted(staging) + " RENAME TO " + sql.quoted(target));
      // A new schema carries no grants: readers get theirs back in the same transaction, so they
      // never find the new data unreadable.
      grantReaders(c, target);
      return null;
    });
  }

  /** The configured reader groups may use {@code schema} and read all its tables (new ones included). */
  void grantReaders(Connection c, String schema) throws SQLException {
    for (String group : sql.readers()) {
      sql.execute(c, "GRANT USAGE ON SCHEMA " + sql.quoted(schema) + " TO GROUP " + sql.quoted(group));
      sql.execute(c, "GRANT SELECT ON ALL TABLES IN SCHEMA " + sql.quoted(schema) + " TO GROUP " + sql.quoted(group));
    }
  }
}
