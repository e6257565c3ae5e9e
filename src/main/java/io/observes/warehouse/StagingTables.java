package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The staging schema's life: prepared whole in one transaction (tables, comments, bookkeeping and
 * the owner row last), and swapped into the target in one transaction that first proves the staging
 * schema still belongs to the run publishing it. Both take the target's lock ({@link TargetLocks})
 * first and exclusively, so they never interleave with each other or with a load of that target.
 */
final class StagingTables {
  /** The owner row's lease token; a target published before it existed lacks it until its next merge. */
  static final String LEASE = "lease_token";
  static final String LEASE_TYPE = "VARCHAR(64)";

  private final BaseWarehouseClient sql;

  StagingTables(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  Optional<StagingOwner> owner(Connection c, String schema) throws SQLException {
    if (!Catalogue.tableExists(c, schema, BaseWarehouseClient.RUN_TABLE)) {
      return Optional.empty();
    }
    boolean leased = hasLeaseColumn(c, schema);
    try (PreparedStatement s = c.prepareStatement("SELECT " + (leased ? sql.columnList("run_id", "inputs", "prepared_at", LEASE)
        : sql.columnList("run_id", "inputs", "prepared_at")) + " FROM " + sql.qualified(schema, BaseWarehouseClient.RUN_TABLE));
        ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(new StagingOwner(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
          leased ? r.getString(4) : null)) : Optional.empty();
    }
  }

  /** Whether {@code schema}'s owner table has the lease column (a target published by an older version has not). */
  boolean hasLeaseColumn(Connection c, String schema) throws SQLException {
    return TargetColumns.of(c, schema, BaseWarehouseClient.RUN_TABLE).containsKey(LEASE);
  }

  /**
   * {@code check} runs right after the lock: a run that lost its lease does not take the staging
   * schema over from the run that holds it now (see {@link LeaseCheck}).
   */
  private static final Map<String, String> LOADS_COLUMNS = orderedMap(
      "run_id", "the Observes run that loaded the table",
      "table_name", "the table loaded",
      "inputs", "each segment's staging the rows were loaded from",
      "rows", "the rows loaded",
      "copies", "how many COPY statements loaded them",
      "loaded_at", "when the load committed");
  private static final Map<String, String> RUN_COLUMNS = orderedMap(
      "run_id", "the Observes run whose data the schema holds",
      "inputs", "a digest of the run's staged segments",
      "prepared_at", "when the run prepared the staging schema",
      LEASE, "the token of the run lease the run prepared under, none without a lease");

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  void prepare(String schema, StagingOwner owner, List<TableDefinition> tables, LeaseCheck check) {
    String lock = sql.targetLock(schema);
    sql.inTransaction("preparing staging schema " + schema, c -> {
      sql.lockExclusive(c, lock);
      check.verify(owner.lease());
      sql.execute(c, "DROP SCHEMA IF EXISTS " + sql.quoted(schema) + " CASCADE");
      sql.execute(c, "CREATE SCHEMA " + sql.quoted(schema));
      String loads = sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE);
      sql.execute(c, "CREATE TABLE " + loads + " (" + sql.columnDefinitions("run_id", "VARCHAR(128) NOT NULL",
          "table_name", "VARCHAR(127) NOT NULL", "inputs", "VARCHAR(65535) NOT NULL", "rows", "BIGINT NOT NULL",
          "copies", "INTEGER NOT NULL", "loaded_at", "TIMESTAMPTZ NOT NULL")
          + ", PRIMARY KEY (" + sql.columnList("run_id", "table_name") + "))");
      comment(c, "TABLE " + loads, "Observes load bookkeeping: one row per run and table loaded into this schema, "
          + "committed with its COPY; inputs names each segment's staging the rows come from.");
      commentColumns(c, loads, LOADS_COLUMNS);
      for (TableDefinition table : tables) {
        create(c, schema, table);
      }
      String run = sql.qualified(schema, BaseWarehouseClient.RUN_TABLE);
      sql.execute(c, "CREATE TABLE " + run + " (" + sql.columnDefinitions("run_id", "VARCHAR(128) NOT NULL",
          "inputs", "VARCHAR(128) NOT NULL", "prepared_at", "TIMESTAMPTZ NOT NULL", LEASE, LEASE_TYPE) + ")");
      comment(c, "TABLE " + run, "The Observes run whose data this schema holds, a digest of its staged segments, and "
          + "the token of the run lease it was prepared under (none for runs without a lease).");
      commentColumns(c, run, RUN_COLUMNS);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + run + " (" + sql.columnList("run_id", "inputs",
          "prepared_at", LEASE) + ") VALUES (?, ?, ?, ?)")) {
        s.setString(1, owner.run());
        s.setString(2, owner.inputs());
        s.setTimestamp(3, Timestamp.from(owner.prepared()));
        s.setString(4, owner.lease());
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
    sql.execute(c, "COMMENT ON " + object + " IS " + sql.literal(fitted(text)));
  }

  private String fitted(String text) {
    return Utf8Text.cut(text, sql.dialect().maxCommentBytes(), " [...]");
  }

  /** The columns of an existing {@code table} whose comment is not the definition's get it; the others are left alone. */
  void recomment(Connection c, String schema, TableDefinition table) throws SQLException {
    Map<String, String> held = TargetColumns.comments(c, schema, table.name());
    String qualified = sql.qualified(schema, table.name());
    for (TableDefinition.ColumnDefinition col : table.columns()) {
      if (!fitted(col.comment()).equals(held.get(col.name()))) {
        comment(c, "COLUMN " + qualified + "." + sql.quoted(col.name()), col.comment());
      }
    }
  }

  /** The owner of {@code schema} must be {@code run}, or the staging was taken over: refuse. Returns the owner. */
  StagingOwner requireOwner(Connection c, String schema, String run, String doing) throws SQLException {
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
    return owner.get();
  }

  /** {@code check} runs last, under the lock, just before the commit (see {@link LeaseCheck}). */
  void swap(String staging, String target, String backup, String run, LeaseCheck check) {
    String lock = sql.targetLock(staging);
    sql.inTransaction("swapping " + staging + " into " + target, c -> {
      sql.lockExclusive(c, lock);
      StagingOwner owner = requireOwner(c, staging, run, "publish " + target);
      boolean hasTarget = Catalogue.schemaExists(c, target);
      sql.execute(c, "DROP SCHEMA IF EXISTS " + sql.quoted(backup) + " CASCADE");
      if (hasTarget) {
        sql.execute(c, "ALTER SCHEMA " + sql.quoted(target) + " RENAME TO " + sql.quoted(backup));
      }
      sql.execute(c, "ALTER SCHEMA " + sql.quoted(staging) + " RENAME TO " + sql.quoted(target));
      // A new schema carries no grants: readers get theirs back in the same transaction, so they
      // never find the new data unreadable.
      grantReaders(c, target);
      check.verify(owner.lease());
      return null;
    });
  }

  /**
   * The target keeps a copy of the staging's owner row. A target published by a version of Observes
   * from before run leases has a copy without the lease column: it gains it (one ALTER action).
   */
  void copyOwner(Connection c, String stagingSchema, String target) throws SQLException {
    String owner = sql.qualified(target, BaseWarehouseClient.RUN_TABLE);
    String from = sql.qualified(stagingSchema, BaseWarehouseClient.RUN_TABLE);
    sql.execute(c, "CREATE TABLE IF NOT EXISTS " + owner + " (LIKE " + from + ")");
    if (!hasLeaseColumn(c, target)) {
      sql.execute(c, "ALTER TABLE " + owner + " ADD COLUMN " + sql.quoted(LEASE) + " " + LEASE_TYPE);
    }
    sql.execute(c, "DELETE FROM " + owner);
    String columns = sql.columnList("run_id", "inputs", "prepared_at", LEASE);
    sql.execute(c, "INSERT INTO " + owner + " (" + columns + ") SELECT " + columns + " FROM " + from);
    commentColumns(c, owner, RUN_COLUMNS);
  }

  /** The bookkeeping tables' columns are derived too, and say so like every other column (the lineage contract). */
  private void commentColumns(Connection c, String table, Map<String, String> columns) throws SQLException {
    for (Map.Entry<String, String> column : columns.entrySet()) {
      comment(c, "COLUMN " + table + "." + sql.quoted(column.getKey()), "derived: " + column.getValue());
    }
  }

  /** The configured reader groups may use {@code schema} and read all its tables (new ones included). */
  void grantReaders(Connection c, String schema) throws SQLException {
    for (String group : sql.readers()) {
      sql.execute(c, "GRANT USAGE ON SCHEMA " + sql.quoted(schema) + " TO GROUP " + sql.quoted(group));
      sql.execute(c, "GRANT SELECT ON ALL TABLES IN SCHEMA " + sql.quoted(schema) + " TO GROUP " + sql.quoted(group));
    }
  }
}
