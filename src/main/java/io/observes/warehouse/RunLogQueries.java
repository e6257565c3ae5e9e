package io.observes.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of the run log: its rows with the rows of their tables summed, newest first, a RUNNING row
 * without a recent heartbeat read as LOST; and the per-table rows loaded of each run, for trends.
 */
final class RunLogQueries {
  private final BaseWarehouseClient sql;
  private final RunLogTables log;

  RunLogQueries(BaseWarehouseClient sql, RunLogTables log) {
    this.sql = sql;
    this.log = log;
  }

  List<RunSummary> runs(RunQuery query, Instant now) {
    return sql.inTransaction("reading the run log", c -> {
      String key = "t." + sql.quoted("job") + " = r." + sql.quoted("job") + " AND t." + sql.quoted("run_id") + " = r."
          + sql.quoted("run_id") + " AND t." + sql.quoted("phase") + " = r." + sql.quoted("phase") + " AND COALESCE(t."
          + sql.quoted("segment") + ", -1) = COALESCE(r." + sql.quoted("segment") + ", -1)";
      StringBuilder select = new StringBuilder("SELECT " + String.join(", ", prefixed("r.", "job", "run_id", "phase", "segment",
          "started_at", "finished_at", "status", "error", "target", "batch_job_id", "batch_attempt", "host", "heartbeat_at",
          "data_as_of")) + ", COALESCE(SUM(t." + sql.quoted("rows_written") + "), 0), COALESCE(SUM(t." + sql.quoted("rows_loaded")
          + "), 0), COALESCE(SUM(t." + sql.quoted("rows_rejected") + "), 0) FROM " + log.runs + " r LEFT JOIN " + log.tables
          + " t ON " + key + " WHERE 1 = 1");
      List<Object> params = new ArrayList<>();
      query.job().ifPresent(j -> {
        select.append(" AND r.").append(sql.quoted("job")).append(" = ?");
        params.add(j);
      });
      query.since().ifPresent(s -> {
        select.append(" AND r.").append(sql.quoted("started_at")).append(" >= ?");
        params.add(Timestamp.from(s));
      });
      select.append(" GROUP BY ").append(String.join(", ", prefixed("r.", "job", "run_id", "phase", "segment", "started_at",
          "finished_at", "status", "error", "target", "batch_job_id", "batch_attempt", "host", "heartbeat_at", "data_as_of")))
          .append(" ORDER BY r.").append(sql.quoted("started_at")).append(" DESC");
      List<RunSummary> found = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(select.toString())) {
        for (int i = 0; i < params.size(); i++) {
          s.setObject(i + 1, params.get(i));
        }
        try (ResultSet r = s.executeQuery()) {
          while (r.next() && found.size() < query.limit()) {
            RunSummary run = row(r, now, query);
            if (query.status().isEmpty() || query.status().get().equalsIgnoreCase(run.status())) {
              found.add(run);
            }
          }
        }
      }
      return found;
    });
  }

  private RunSummary row(ResultSet r, Instant now, RunQuery query) throws SQLException {
    int segment = r.getInt(4);
    Integer seg = r.wasNull() ? null : segment;
    Timestamp finished = r.getTimestamp(6);
    int attempt = r.getInt(11);
    Integer att = r.wasNull() ? null : attempt;
    Timestamp beat = r.getTimestamp(13);
    Instant started = r.getTimestamp(5).toInstant();
    Instant heartbeat = beat == null ? started : beat.toInstant();
    String status = r.getString(7);
    if ("RUNNING".equals(status) && heartbeat.plus(query.lostAfter()).isBefore(now)) {
      status = RunSummary.LOST;
    }
    Timestamp asOf = r.getTimestamp(14);
    return new RunSummary(r.getString(1), r.getString(2), r.getString(3), seg, started,
        finished == null ? null : finished.toInstant(), status, r.getString(8), r.getLong(15), r.getLong(16), r.getLong(17),
        r.getString(9), new RunOrigin(r.getString(10), att, r.getString(12)), heartbeat,
        asOf == null ? null : asOf.toInstant());
  }

  /** Rows loaded per table of every run of {@code job} since {@code since}: (run, started, table, rows loaded, rejected). */
  List<TableRun> tableRuns(String job, Instant since) {
    return sql.inTransaction("reading the run log's tables", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + String.join(", ", prefixed("t.", "run_id", "table_name",
          "phase")) + ", r." + sql.quoted("started_at") + ", t." + sql.quoted("rows_loaded") + ", t." + sql.quoted("rows_rejected")
          + ", t." + sql.quoted("rows_written") + ", t." + sql.quoted("bytes") + " FROM " + log.tables + " t JOIN " + log.runs + " r ON t." + sql.quoted("job")
          + " = r." + sql.quoted("job") + " AND t." + sql.quoted("run_id") + " = r." + sql.quoted("run_id") + " AND t."
          + sql.quoted("phase") + " = r." + sql.quoted("phase") + " AND COALESCE(t." + sql.quoted("segment")
          + ", -1) = COALESCE(r." + sql.quoted("segment") + ", -1) WHERE t." + sql.quoted("job") + " = ? AND r."
          + sql.quoted("started_at") + " >= ? AND t." + sql.quoted("table_name") + " IS NOT NULL ORDER BY r."
          + sql.quoted("started_at"))) {
        s.setString(1, job);
        s.setTimestamp(2, Timestamp.from(since));
        List<TableRun> found = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            found.add(new TableRun(r.getString(1), r.getString(2), r.getString(3), r.getTimestamp(4).toInstant(), r.getLong(5),
                r.getLong(6), r.getLong(7), r.getLong(8)));
          }
        }
        return found;
      }
    });
  }

  /** The most frequent reasons of {@code schema._rejected}, if the schema has that table. */
  List<RejectionCount> rejectionReasons(String schema, int limit) {
    return sql.inTransaction("reading the rejected values of " + schema, c -> {
      if (!Catalogue.tableExists(c, schema, "_rejected")) {
        return List.of();
      }
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.quoted("reason") + ", COUNT(*) FROM "
          + sql.qualified(schema, "_rejected") + " WHERE " + sql.quoted("raw_part") + " = 0 GROUP BY " + sql.quoted("reason")
          + " ORDER BY 2 DESC LIMIT ?")) {
        s.setInt(1, limit);
        List<RejectionCount> found = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            found.add(new RejectionCount(r.getString(1), r.getLong(2)));
          }
        }
        return found;
      }
    });
  }

  private List<String> prefixed(String prefix, String... columns) {
    List<String> out = new ArrayList<>();
    for (String column : columns) {
      out.add(prefix + sql.quoted(column));
    }
    return out;
  }
}
