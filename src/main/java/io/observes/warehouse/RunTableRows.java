package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * A phase's rows of {@code observes_meta.run_tables}, written with a few multi-row INSERTs inside
 * the transaction that ends the phase: Redshift commits are serialized cluster-wide and every write
 * waits for the table's write lock, so 240 nodes writing ~60 single-row commits each would queue
 * ~14,000 commits ("use a multi-row insert", "Amazon Redshift best practices for loading data",
 * https://docs.aws.amazon.com/redshift/latest/dg/c_best-practices-multi-row-inserts.html).
 */
final class RunTableRows {
  /** Rows per INSERT: 14 parameters each stays far below both warehouses' bind-parameter limits. */
  static final int ROWS_PER_INSERT = 500;
  private static final int COLUMNS = 14;

  private final String head;

  RunTableRows(BaseWarehouseClient sql, String table) {
    this.head = "INSERT INTO " + table + " (" + sql.columnList("job", "run_id", "phase", "segment", "table_name",
        "table_key", "rows_written", "rows_loaded", "rows_rejected", "bytes", "recorded_at", "rows_inserted",
        "rows_updated", "rows_deleted") + ") VALUES ";
  }

  void insert(Connection c, RunEntry e, List<TableCounts> counts, Instant at) throws SQLException {
    for (int from = 0; from < counts.size(); from += ROWS_PER_INSERT) {
      List<TableCounts> chunk = counts.subList(from, Math.min(counts.size(), from + ROWS_PER_INSERT));
      StringBuilder sql = new StringBuilder(head);
      String row = "(" + "?, ".repeat(COLUMNS - 1) + "?)";
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(row);
      }
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (TableCounts t : chunk) {
          p = bind(s, p, e, t, at);
        }
        s.executeUpdate();
      }
    }
  }

  private static int bind(PreparedStatement s, int p, RunEntry e, TableCounts t, Instant at) throws SQLException {
    s.setString(p, e.job());
    s.setString(p + 1, e.run());
    s.setString(p + 2, e.phase());
    if (e.segment() == null) {
      s.setNull(p + 3, Types.INTEGER);
    } else {
      s.setInt(p + 3, e.segment());
    }
    s.setString(p + 4, t.tableName().orElse(null));
    s.setString(p + 5, Utf8Text.cut(t.tableKey(), RunLogTables.MAX_KEY_BYTES, RunLogTables.CUT));
    s.setLong(p + 6, t.rowsWritten());
    s.setLong(p + 7, t.rowsLoaded());
    s.setLong(p + 8, t.rowsRejected());
    s.setLong(p + 9, t.bytes());
    s.setTimestamp(p + 10, Timestamp.from(at));
    if (t.changes().isPresent()) {
      s.setLong(p + 11, t.changes().get().inserted());
      s.setLong(p + 12, t.changes().get().updated());
      s.setLong(p + 13, t.changes().get().deleted());
    } else {
      s.setNull(p + 11, Types.BIGINT);
      s.setNull(p + 12, Types.BIGINT);
      s.setNull(p + 13, Types.BIGINT);
    }
    return p + COLUMNS;
  }
}
