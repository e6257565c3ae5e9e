package io.observes.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The run log's SQL: {@code observes_meta.runs} and {@code observes_meta.run_tables}, created on
 * first use, written through the client's connections and its one quoting function.
 */
final class RunLogTables {
  private static final int MAX_ERROR = 4000;

  private final BaseWarehouseClient sql;

  RunLogTables(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  /** SQL states of "it exists already": a concurrent CREATE ... IF NOT EXISTS can still raise them. */
  private static final Set<String> ALREADY_EXISTS = Set.of("23505", "42P06", "42P07");

  void ensure() {
    // Every node of a phase creates the run log on first use, at the same moment: when another
    // node wins the race, the objects exist and the next attempt passes.
    for (int attempt = 1; ; attempt++) {
      try {
        createRunLog();
        return;
      } catch (WarehouseException e) {
        if (attempt == 3 || !(e.getCause() instanceof SQLException sql) || !ALREADY_EXISTS.contains(sql.getSQLState())) {
          throw e;
        }
      }
    }
  }

  private void createRunLog() {
    sql.inTransaction("creating the run log", c -> {
      sql.execute(c, "CREATE SCHEMA IF NOT EXISTS " + sql.quoted(BaseWarehouseClient.META_SCHEMA));
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + sql.qualified(BaseWarehouseClient.META_SCHEMA, "runs") + " ("
          + sql.quoted("job") + " VARCHAR(128) NOT NULL, " + sql.quoted("run_id") + " VARCHAR(128) NOT NULL, "
          + sql.quoted("phase") + " VARCHAR(64) NOT NULL, " + sql.quoted("segment") + " INTEGER, "
          + sql.quoted("started_at") + " TIMESTAMPTZ NOT NULL, " + sql.quoted("finished_at") + " TIMESTAMPTZ, "
          + sql.quoted("status") + " VARCHAR(16) NOT NULL, " + sql.quoted("error") + " VARCHAR(4096))");
      sql.execute(c, "CREATE TABLE IF NOT EXISTS " + sql.qualified(BaseWarehouseClient.META_SCHEMA, "run_tables") + " ("
          + sql.quoted("job") + " VARCHAR(128) NOT NULL, " + sql.quoted("run_id") + " VARCHAR(128) NOT NULL, "
          + sql.quoted("phase") + " VARCHAR(64) NOT NULL, " + sql.quoted("segment") + " INTEGER, "
          + sql.quoted("table_name") + " VARCHAR(127) NOT NULL, " + sql.quoted("rows_written") + " BIGINT, "
          + sql.quoted("rows_loaded") + " BIGINT, " + sql.quoted("rows_rejected") + " BIGINT, " + sql.quoted("bytes") + " BIGINT, "
          + sql.quoted("recorded_at") + " TIMESTAMPTZ NOT NULL)");
      return null;
    });
  }

  void start(RunEntry e) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + sql.qualified(BaseWarehouseClient.META_SCHEMA, "runs") + " ("
          + sql.quoted("job") + ", " + sql.quoted("run_id") + ", " + sql.quoted("phase") + ", " + sql.quoted("segment") + ", "
          + sql.quoted("started_at") + ", " + sql.quoted("status") + ") VALUES (?, ?, ?, ?, ?, 'RUNNING')")) {
        bindEntry(s, e);
        s.setTimestamp(5, Timestamp.from(e.started()));
        s.executeUpdate();
      }
      return null;
    });
  }

  void end(RunEntry e, Instant finished, String status, String error) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE " + sql.qualified(BaseWarehouseClient.META_SCHEMA, "runs") + " SET "
          + sql.quoted("finished_at") + " = ?, " + sql.quoted("status") + " = ?, " + sql.quoted("error") + " = ? WHERE "
          + sql.quoted("job") + " = ? AND " + sql.quoted("run_id") + " = ? AND " + sql.quoted("phase") + " = ? AND COALESCE("
          + sql.quoted("segment") + ", -1) = ? AND " + sql.quoted("started_at") + " = ?")) {
        s.setTimestamp(1, Timestamp.from(finished));
        s.setString(2, status);
        s.setString(3, error == null ? null : truncateForLog(error));
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

  /** Error texts are diagnostics, not data: the run log keeps their first 4000 characters. */
  private static String truncateForLog(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + " [...]";
  }

  void table(RunEntry e, TableCounts t) {
    sql.inTransaction("writing the run log", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + sql.qualified(BaseWarehouseClient.META_SCHEMA, "run_tables") + " ("
          + sql.quoted("job") + ", " + sql.quoted("run_id") + ", " + sql.quoted("phase") + ", " + sql.quoted("segment") + ", "
          + sql.quoted("table_name") + ", " + sql.quoted("rows_written") + ", " + sql.quoted("rows_loaded") + ", "
          + sql.quoted("rows_rejected") + ", " + sql.quoted("bytes") + ", " + sql.quoted("recorded_at")
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bindEntry(s, e);
        s.setString(5, t.table());
        s.setLong(6, t.rowsWritten());
        s.setLong(7, t.rowsLoaded());
        s.setLong(8, t.rowsRejected());
        s.setLong(9, t.bytes());
        s.setTimestamp(10, Timestamp.from(Instant.now()));
        s.executeUpdate();
      }
      return null;
    });
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
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.quoted("job") + ", " + sql.quoted("run_id") + ", "
          + sql.quoted("phase") + ", " + sql.quoted("segment") + ", " + sql.quoted("started_at") + ", " + sql.quoted("finished_at")
          + ", " + sql.quoted("status") + ", " + sql.quoted("error") + " FROM " + sql.qualified(BaseWarehouseClient.META_SCHEMA, "runs") + where
          + " ORDER BY " + sql.quoted("started_at") + " DESC LIMIT ?")) {
        int i = 1;
        if (job != null) {
          s.setString(i++, job);
        }
        s.setInt(i, limit);
        List<RunSummary> runs = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            int segment = r.getInt(4);
            Integer seg = r.wasNull() ? null : segment;
            Timestamp finished = r.getTimestamp(6);
            runs.add(new RunSummary(r.getString(1), r.getString(2), r.getString(3), seg,
                r.getTimestamp(5).toInstant(), finished == null ? null : finished.toInstant(), r.getString(7),
                r.getString(8)));
          }
        }
        return runs;
      }
    });
  }
}
