package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run log's SQL: {@code observes_meta.runs} and {@code observes_meta.run_tables}, created on
 * first use (an older {@code run_tables} migrated), written through the client's connections.
 * Nothing the data looks like can make a run-log write fail: table keys (source paths) go to a
 * column as wide as the warehouse allows and are cut on a code-point boundary beyond it, error texts
 * are cut by UTF-8 bytes, and warehouse table names are bounded by the identifier length.
 */
final class RunLogTables {
  /** VARCHAR(4096) counts bytes on Redshift; the marker says the text was cut. */
  static final int MAX_ERROR_BYTES = 4096;

  static final int MAX_KEY_BYTES = 65535;
  /** A differential source's state before and after a run, as JSON text; a longer one is cut, saying so. */
  static final int MAX_STATE_BYTES = 65535;
  private static final String CUT = " [...]";

  /** SQL states of "it exists already": a concurrent CREATE ... IF NOT EXISTS can still raise them. */
  private static final Set<String> ALREADY_EXISTS = Set.of("23505", "42P06", "42P07");

  private final BaseWarehouseClient sql;
  private final String runs;
  private final String tables;
  private final String lock;
  private final String runsColumns;
  private final String tablesColumns;
  private final String tableColumnList;
  private final String insertRun;
  private final String endRun;
  private final String insertTable;
  private final String nameTables;
  private final String selectRuns;
  private final String recordState;

  RunLogTables(BaseWarehouseClient sql) {
    this.sql = sql;
    this.runs = sql.qualified(BaseWarehouseClient.META_SCHEMA, "runs");
    this.tables = sql.qualified(BaseWarehouseClient.META_SCHEMA, "run_tables");
    this.lock = sql.qualified(BaseWarehouseClient.META_SCHEMA, BaseWarehouseClient.STAGING_LOCK);
    String entry = sql.columnDefinitions("job", "VARCHAR(128) NOT NULL", "run_id", "VARCHAR(128) NOT NULL",
        "phase", "VARCHAR(64) NOT NULL", "segment", "INTEGER");
    this.runsColumns = entry + ", " + sql.columnDefinitions("started_at", "TIMESTAMPTZ NOT NULL",
        "finished_at", "TIMESTAMPTZ", "status", "VARCHAR(16) NOT NULL", "error", "VARCHAR(" + MAX_ERROR_BYTES + ")")
        + ", " + stateColumns();
    this.tablesColumns = entry + ", " + sql.columnDefinitions("table_name", "VARCHAR(127)",
        "table_key", "VARCHAR(" + MAX_KEY_BYTES + ")", "rows_written", "BIGINT", "rows_loaded", "BIGINT",
        "rows_rejected", "BIGINT", "bytes", "BIGINT", "recorded_at", "TIMESTAMPTZ NOT NULL");
    this.tableColumnList = sql.columnList("job", "run_id", "phase", "segment", "table_name", "table_key",
        "rows_written", "rows_loaded", "rows_rejected", "bytes", "recorded_at");
    String entryKey = sql.quoted("job") + " = ? AND " + sql.quoted("run_id") + " = ?";
    this.insertRun = "INSERT INTO " + runs + " (" + sql.columnList("job", "run_id", "phase", "segment", "started_at", "status")
        + ") VALUES (?, ?, ?, ?, ?, 'RUNNING')";
    this.endRun = "UPDATE " + runs + " SET " + sql.quoted("finished_at") + " = ?, " + sql.quoted("status") + " = ?, "
        + sql.quoted("error") + " = ? WHERE " + entryKey + " AND " + sql.quoted("phase") + " = ? AND COALESCE("
        + sql.quoted("segment") + ", -1) = ? AND " + sql.quoted("started_at") + " = ?";
    this.insertTable = "INSERT INTO " + tables + " (" + tableColumnList + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.nameTables = "UPDATE " + tables + " SET " + sql.quoted("table_name") + " = ? WHERE " + entryKey + " AND "
        + sql.quoted("table_key") + " = ? AND " + sql.quoted("table_name") + " IS NULL";
    this.recordState = "UPDATE " + runs + " SET " + sql.quoted("state_before") + " = ?, " + sql.quoted("state_after")
        + " = ? WHERE " + entryKey + " AND " + sql.quoted("phase") + " = ? AND COALESCE(" + sql.quoted("segment")
        + ", -1) = ? AND " + sql.quoted("started_at") + " = ?";
    this.selectRuns = "SELECT " + sql.columnList("job", "run_id", "phase", "segment", "started_at", "finished_at", "status",
        "error") + " FROM " + runs;
  }

  void ensure() {
    // Every node of a phase creates the run log on first use, at the same moment: when another
    // node wins the race, the objects exist and the next attempt passes.
    for (int attempt = 1; ; attempt++) {
      try {
        createRunLog();
        migrateRunTables();
        migrateRuns();
        return;
      } catch (WarehouseException e) {
        if (attempt == 3 || !(e.getCause() instanceof SQLException s) || !ALREADY_EXISTS.contains(s.getSQLState())) {
          throw e;
        }
      }
    }
  }

  private void createRunLog() {
    sql.inTransaction("creating the run log", c -> {
      sql.execute(c, "CREATE SCHEMA IF NOT EXISTS " + sql.quoted(BaseWarehouseClient.META_SCHEMA));
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + runs + " (" + runsColumns + ")");
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + tables + " (" + tablesColumns + ")");
      // No rows: every phase that changes a staging schema or loads into it locks this table first,
      // so one run's preparation or swap never interleaves with another run's loads.
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + lock + " (" + sql.columnDefinitions("held_by", "VARCHAR(128)") + ")");
      return null;
    });
  }

  /** Before table keys had their own column, the stage phase wrote them into table_name. */
  private void migrateRunTables() {
    if (sql.inTransaction("reading the run log's columns", c -> hasColumn(c, "run_tables", "table_key"))) {
      return;
    }
    String migrating = sql.qualified(BaseWarehouseClient.META_SCHEMA, "run_tables_migrating");
    String phase = sql.quoted("phase");
    String name = sql.quoted("table_name");
    sql.inTransaction("migrating the run log", c -> {
      sql.lockExclusive(c, tables);
      if (hasColumn(c, "run_tables", "table_key")) {
        return null;
      }
      sql.execute(c, "DROP TABLE IF EXISTS " + migrating);
      sql.execute(c, "CREATE TABLE " + migrating + " (" + tablesColumns + ")");
      sql.execute(c, "INSERT INTO " + migrating + " (" + tableColumnList + ") SELECT "
          + sql.columnList("job", "run_id", "phase", "segment") + ", CASE WHEN " + phase + " = 'stage' THEN NULL ELSE "
          + name + " END, CASE WHEN " + phase + " = 'stage' THEN " + name + " END, "
          + sql.columnList("rows_written", "rows_loaded", "rows_rejected", "bytes", "recorded_at") + " FROM " + tables);
      sql.execute(c, "DROP TABLE " + tables);
      sql.execute(c, "ALTER TABLE " + migrating + " RENAME TO " + sql.quoted("run_tables"));
      return null;
    });
  }

  private String stateColumns() {
    return sql.columnDefinitions("state_before", "VARCHAR(" + MAX_STATE_BYTES + ")", "state_after",
        "VARCHAR(" + MAX_STATE_BYTES + ")");
  }

  /** Runs logged before differential sources existed have no state columns. */
  private void migrateRuns() {
    if (sql.inTransaction("reading the run log's columns", c -> hasColumn(c, "runs", "state_before"))) {
      return;
    }
    sql.inTransaction("adding the state columns to the run log", c -> {
      sql.lockExclusive(c, runs);
      if (!hasColumn(c, "runs", "state_before")) {
        sql.execute(c, "ALTER TABLE " + runs + " ADD COLUMN " + sql.quoted("state_before") + " VARCHAR(" + MAX_STATE_BYTES + ")");
        sql.execute(c, "ALTER TABLE " + runs + " ADD COLUMN " + sql.quoted("state_after") + " VARCHAR(" + MAX_STATE_BYTES + ")");
      }
      return null;
    });
  }

  /** The state a run started from and, once it committed, the state it left. */
  void state(RunEntry e, String before, String after) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement(recordState)) {
        s.setString(1, before == null ? null : Utf8Text.cut(before, MAX_STATE_BYTES, CUT));
        s.setString(2, after == null ? null : Utf8Text.cut(after, MAX_STATE_BYTES, CUT));
        s.setString(3, e.job());
        s.setString(4, e.run());
        s.setString(5, e.phase());
        s.setInt(6, e.segment() == null ? -1 : e.segment());
        s.setTimestamp(7, Timestamp.from(e.started()));
        s.executeUpdate();
      }
      return null;
    });
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM information_schema.columns WHERE table_schema = ? "
        + "AND table_name = ? AND column_name = ?")) {
      s.setString(1, BaseWarehouseClient.META_SCHEMA);
      s.setString(2, table);
      s.setString(3, column);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  void start(RunEntry e) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement(insertRun)) {
        bindEntry(s, e);
        s.setTimestamp(5, Timestamp.from(e.started()));
        s.executeUpdate();
      }
      return null;
    });
  }

  void end(RunEntry e, Instant finished, String status, String error) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement(endRun)) {
        s.setTimestamp(1, Timestamp.from(finished));
        s.setString(2, status);
        s.setString(3, error == null ? null : Utf8Text.cut(error, MAX_ERROR_BYTES, CUT));
        s.setString(4, e.job());
        s.setString(5, e.run());
        s.setString(6, e.phase());
        s.setInt(7, e.segment() == null ? -1 : e.segment());
        s.setTimestamp(8, Timestamp.from(e.started()));
        s.executeUpdate();
      }
      return null;
    });
  }

  void table(RunEntry e, TableCounts t) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement(insertTable)) {
        bindEntry(s, e);
        s.setString(5, t.tableName().orElse(null));
        s.setString(6, key(t.tableKey()));
        s.setLong(7, t.rowsWritten());
        s.setLong(8, t.rowsLoaded());
        s.setLong(9, t.rowsRejected());
        s.setLong(10, t.bytes());
        s.setTimestamp(11, Timestamp.from(Instant.now()));
        s.executeUpdate();
      }
      return null;
    });
  }

  /** Names the rows a run's stage phase wrote by key only, once the run's schema has named its tables. */
  void name(String job, String run, Map<String, String> namesByKey) {
    sql.inTransaction("naming the run log's tables", c -> {
      try (PreparedStatement s = c.prepareStatement(nameTables)) {
        for (Map.Entry<String, String> entry : namesByKey.entrySet()) {
          s.setString(1, entry.getValue());
          s.setString(2, job);
          s.setString(3, run);
          s.setString(4, key(entry.getKey()));
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  private static String key(String key) {
    return Utf8Text.cut(key, MAX_KEY_BYTES, CUT);
  }

  private static void bindEntry(PreparedStatement s, RunEntry e) throws SQLException {
    s.setString(1, e.job());
    s.setString(2, e.run());
    s.setString(3, e.phase());
    if (e.segment() == null) {
      s.setNull(4, Types.INTEGER);
    } else {
      s.setInt(4, e.segment());
    }
  }

  List<RunSummary> recent(String job, int limit) {
    return sql.inTransaction("reading the run log", c -> {
      String where = job == null ? "" : " WHERE " + sql.quoted("job") + " = ?";
      try (PreparedStatement s = c.prepareStatement(selectRuns + where + " ORDER BY " + sql.quoted("started_at")
          + " DESC LIMIT ?")) {
        int i = 1;
        if (job != null) {
          s.setString(i++, job);
        }
        s.setInt(i, limit);
        List<RunSummary> found = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            int segment = r.getInt(4);
            Integer seg = r.wasNull() ? null : segment;
            Timestamp finished = r.getTimestamp(6);
            found.add(new RunSummary(r.getString(1), r.getString(2), r.getString(3), seg,
                r.getTimestamp(5).toInstant(), finished == null ? null : finished.toInstant(), r.getString(7),
                r.getString(8)));
          }
        }
        return found;
      }
    });
  }
}
