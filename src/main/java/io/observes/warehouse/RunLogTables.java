package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run log's SQL: {@code observes_meta.runs} and {@code observes_meta.run_tables}, created on
 * first use (an older layout migrated: columns added, keys split), written through the client's
 * connections. Nothing the data looks like can make a run-log write fail: table keys (source paths)
 * go to a column as wide as the warehouse allows and are cut on a code-point boundary beyond it,
 * error texts are cut by UTF-8 bytes, and warehouse table names are bounded by the identifier length.
 */
final class RunLogTables {
  /** VARCHAR(4096) counts bytes on Redshift; the marker says the text was cut. */
  static final int MAX_ERROR_BYTES = 4096;

  static final int MAX_KEY_BYTES = 65535;
  /** A differential source's state before and after a run, as JSON text; a longer one is cut, saying so. */
  static final int MAX_STATE_BYTES = 65535;
  static final String CUT = " [...]";

  /** SQL states of "it exists already": a concurrent CREATE ... IF NOT EXISTS can still raise them. */
  private static final Set<String> ALREADY_EXISTS = Set.of("23505", "42P06", "42P07");

  /** Columns added to {@code runs} after its first layout, with their types. */
  private static final Map<String, String> LATER_RUN_COLUMNS = new LinkedHashMap<>();
  /** Columns added to {@code run_tables} after the table keys got their own column. */
  private static final Map<String, String> LATER_TABLE_COLUMNS = new LinkedHashMap<>();

  static {
    LATER_RUN_COLUMNS.put("state_before", "VARCHAR(" + MAX_STATE_BYTES + ")");
    LATER_RUN_COLUMNS.put("state_after", "VARCHAR(" + MAX_STATE_BYTES + ")");
    LATER_RUN_COLUMNS.put("target", "VARCHAR(127)");
    LATER_RUN_COLUMNS.put("batch_job_id", "VARCHAR(128)");
    LATER_RUN_COLUMNS.put("batch_attempt", "INTEGER");
    LATER_RUN_COLUMNS.put("host", "VARCHAR(255)");
    LATER_RUN_COLUMNS.put("heartbeat_at", "TIMESTAMPTZ");
    LATER_RUN_COLUMNS.put("data_as_of", "TIMESTAMPTZ");
    LATER_TABLE_COLUMNS.put("rows_inserted", "BIGINT");
    LATER_TABLE_COLUMNS.put("rows_updated", "BIGINT");
    LATER_TABLE_COLUMNS.put("rows_deleted", "BIGINT");
  }

  private final BaseWarehouseClient sql;
  final String runs;
  final String tables;
  private final String insertRun;
  private final String endRun;
  private final RunTableRows tableRows;
  private final String nameTables;
  private final String recordState;
  private final String heartbeat;
  private final String recordAsOf;

  RunLogTables(BaseWarehouseClient sql) {
    this.sql = sql;
    this.runs = sql.qualified(BaseWarehouseClient.META_SCHEMA, "runs");
    this.tables = sql.qualified(BaseWarehouseClient.META_SCHEMA, "run_tables");
    String entryKey = sql.quoted("job") + " = ? AND " + sql.quoted("run_id") + " = ?";
    String rowKey = entryKey + " AND " + sql.quoted("phase") + " = ? AND COALESCE(" + sql.quoted("segment") + ", -1) = ? AND "
        + sql.quoted("started_at") + " = ?";
    this.insertRun = "INSERT INTO " + runs + " (" + sql.columnList("job", "run_id", "phase", "segment", "started_at", "status",
        "target", "batch_job_id", "batch_attempt", "host", "heartbeat_at", "state_before")
        + ") VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?)";
    this.endRun = "UPDATE " + runs + " SET " + sql.quoted("finished_at") + " = ?, " + sql.quoted("status") + " = ?, "
        + sql.quoted("error") + " = ?, " + sql.quoted("heartbeat_at") + " = ? WHERE " + rowKey;
    this.tableRows = new RunTableRows(sql, tables);
    this.nameTables = "UPDATE " + tables + " SET " + sql.quoted("table_name") + " = ? WHERE " + entryKey + " AND "
        + sql.quoted("table_key") + " = ? AND " + sql.quoted("table_name") + " IS NULL";
    this.recordState = "UPDATE " + runs + " SET " + sql.quoted("state_before") + " = ?, " + sql.quoted("state_after")
        + " = ? WHERE " + rowKey;
    this.recordAsOf = "UPDATE " + runs + " SET " + sql.quoted("data_as_of") + " = ? WHERE " + rowKey;
    this.heartbeat = "UPDATE " + runs + " SET " + sql.quoted("heartbeat_at") + " = ? WHERE " + rowKey + " AND "
        + sql.quoted("status") + " = 'RUNNING'";
  }

  void ensure() {
    // Every node of a phase creates the run log on first use, at the same moment: when another
    // node wins the race, the objects exist and the next attempt passes.
    for (int attempt = 1; ; attempt++) {
      try {
        createRunLog();
        RunLogMigrations migrations = new RunLogMigrations(sql, runs, tables);
        migrations.splitTableKeys();
        migrations.addColumns("runs", LATER_RUN_COLUMNS);
        migrations.addColumns("run_tables", LATER_TABLE_COLUMNS);
        migrations.addColumns("table_profiles", ProfileLog.LATER_TABLE_COLUMNS);
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
      StringBuilder runColumns = new StringBuilder(RunLogMigrations.entryColumns(sql) + ", " + sql.columnDefinitions(
          "started_at", "TIMESTAMPTZ NOT NULL", "finished_at", "TIMESTAMPTZ", "status", "VARCHAR(16) NOT NULL", "error",
          "VARCHAR(" + MAX_ERROR_BYTES + ")"));
      LATER_RUN_COLUMNS.forEach((name, type) -> runColumns.append(", ").append(sql.quoted(name)).append(' ').append(type));
      StringBuilder tableColumns = new StringBuilder(RunLogMigrations.tableColumns(sql));
      LATER_TABLE_COLUMNS.forEach((name, type) -> tableColumns.append(", ").append(sql.quoted(name)).append(' ').append(type));
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + runs + " (" + runColumns + ")");
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + tables + " (" + tableColumns + ")");
      new ProfileLog(sql).create(c);
      return null;
    });
  }

  void start(RunEntry e, String stateBefore) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement(insertRun)) {
        bindEntry(s, e);
        s.setTimestamp(5, Timestamp.from(e.started()));
        s.setString(6, e.target());
        s.setString(7, e.origin().batchJob());
        if (e.origin().attempt() == null) {
          s.setNull(8, Types.INTEGER);
        } else {
          s.setInt(8, e.origin().attempt());
        }
        s.setString(9, e.origin().host());
        s.setTimestamp(10, Timestamp.from(e.started()));
        s.setString(11, stateBefore == null ? null : Utf8Text.cut(stateBefore, MAX_STATE_BYTES, CUT));
        s.executeUpdate();
      }
      return null;
    });
  }

  void end(RunEntry e, Instant finished, String status, String error) {
    sql.inTransaction("writing the run log", c -> {
      end(c, e, finished, status, error);
      return null;
    });
  }

  /**
   * A phase that succeeded, in one transaction: its table rows (a few multi-row INSERTs), the state
   * it left (when it advanced one) and its end.
   */
  void succeeded(RunEntry e, Instant finished, List<TableCounts> counts, String stateBefore, String stateAfter,
      Instant dataAsOf) {
    sql.inTransaction("writing the run log", c -> {
      tableRows.insert(c, e, counts, finished);
      if (stateAfter != null) {
        state(c, e, stateBefore, stateAfter);
      }
      if (dataAsOf != null) {
        try (PreparedStatement s = c.prepareStatement(recordAsOf)) {
          s.setTimestamp(1, Timestamp.from(dataAsOf));
          bindRow(s, 2, e);
          s.executeUpdate();
        }
      }
      end(c, e, finished, "SUCCEEDED", null);
      return null;
    });
  }

  private void end(Connection c, RunEntry e, Instant finished, String status, String error) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(endRun)) {
      s.setTimestamp(1, Timestamp.from(finished));
      s.setString(2, status);
      s.setString(3, error == null ? null : Utf8Text.cut(error, MAX_ERROR_BYTES, CUT));
      s.setTimestamp(4, Timestamp.from(finished));
      bindRow(s, 5, e);
      s.executeUpdate();
    }
  }

  /** The run is alive at {@code at}; a row that stops getting these is read as LOST. */
  void heartbeat(RunEntry e, Instant at) {
    sql.inTransaction("writing the run log's heartbeat", c -> {
      try (PreparedStatement s = c.prepareStatement(heartbeat)) {
        s.setTimestamp(1, Timestamp.from(at));
        bindRow(s, 2, e);
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

  /** The state a run started from and, once it committed, the state it left. */
  private void state(Connection c, RunEntry e, String before, String after) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(recordState)) {
      s.setString(1, before == null ? null : Utf8Text.cut(before, MAX_STATE_BYTES, CUT));
      s.setString(2, after == null ? null : Utf8Text.cut(after, MAX_STATE_BYTES, CUT));
      bindRow(s, 3, e);
      s.executeUpdate();
    }
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

  /** Binds the five values that identify a row of {@code runs}, from parameter {@code at} on. */
  private static void bindRow(PreparedStatement s, int at, RunEntry e) throws SQLException {
    s.setString(at, e.job());
    s.setString(at + 1, e.run());
    s.setString(at + 2, e.phase());
    s.setInt(at + 3, e.segment() == null ? -1 : e.segment());
    s.setTimestamp(at + 4, Timestamp.from(e.started()));
  }

  static boolean hasColumn(Connection c, String table, String column) throws SQLException {
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
}
