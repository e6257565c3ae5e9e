package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One table's files of one segment loaded idempotently: in one transaction that holds the staging
 * lock shared and proves the staging schema belongs to the load's run, the COPY and the bookkeeping
 * row commit together, so a load done before is found and skipped, never doubled.
 */
final class LoadTransaction {
  private final BaseWarehouseClient sql;
  private final StagingTables staging;

  LoadTransaction(BaseWarehouseClient sql, StagingTables staging) {
    this.sql = sql;
    this.staging = staging;
  }

  /** The rows of an earlier load of the same segment and table. */
  private record Previous(String manifest, long rows) {}

  WarehouseClient.LoadOutcome load(String schema, TableLoad load) {
    return sql.retryingConflicts("loading " + schema + "." + load.table(), () -> attempt(schema, load));
  }

  private WarehouseClient.LoadOutcome attempt(String schema, TableLoad load) {
    try (Connection c = sql.connect()) {
      c.setAutoCommit(false);
      try {
        sql.beginLoad(c, schema);
        sql.lockShared(c, sql.stagingLock());
        staging.requireOwner(c, schema, load.run(), "load segment " + load.segment() + " of " + load.table());
        WarehouseClient.LoadOutcome outcome = loadInTransaction(c, schema, load);
        c.commit();
        return outcome;
      } catch (SQLException e) {
        c.rollback();
        if (isDuplicateKey(e)) {
          // Another process committed the same segment first: it is loaded, once.
          return alreadyLoaded(schema, load);
        }
        if (sql.isConflict(e)) {
          throw new WarehouseException("loading " + schema + "." + load.table() + " conflicted: " + e.getMessage(), e);
        }
        throw sql.loadFailure(c, schema, load, e);
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new WarehouseException("could not connect to load " + schema + "." + load.table() + ": "
          + BaseWarehouseClient.describe(e), e);
    }
  }

  private WarehouseClient.LoadOutcome loadInTransaction(Connection c, String schema, TableLoad load) throws SQLException {
    Optional<Previous> previous = previousLoad(c, schema, load);
    if (previous.isPresent()) {
      return new WarehouseClient.LoadOutcome(previous.get().rows(), true);
    }
    long copied = sql.copy(c, schema, load);
    if (copied != load.expectedRows()) {
      throw new WarehouseException("segment " + load.segment() + " of " + schema + "." + load.table() + ": COPY loaded "
          + copied + " rows but the manifest lists " + load.expectedRows() + "; nothing was committed. "
          + "Re-stage the segment (phase1 --restage) and load it again.");
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE)
        + " (" + sql.columnList("run_id", "segment", "table_name", "manifest", "rows", "loaded_at")
        + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, load.run());
      s.setInt(2, load.segment());
      s.setString(3, load.table());
      s.setString(4, load.manifestId());
      s.setLong(5, copied);
      s.setTimestamp(6, Timestamp.from(Instant.now()));
      s.executeUpdate();
    }
    return new WarehouseClient.LoadOutcome(copied, false);
  }

  /** An earlier load of the same segment and table; refuses one from a different staging of the segment. */
  private Optional<Previous> previousLoad(Connection c, String schema, TableLoad load) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("manifest", "rows") + " FROM "
        + sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE) + " WHERE " + sql.quoted("run_id") + " = ? AND "
        + sql.quoted("segment") + " = ? AND " + sql.quoted("table_name") + " = ?")) {
      s.setString(1, load.run());
      s.setInt(2, load.segment());
      s.setString(3, load.table());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        Previous previous = new Previous(r.getString(1), r.getLong(2));
        if (!previous.manifest().equals(load.manifestId())) {
          throw new WarehouseException("segment " + load.segment() + " of " + schema + "." + load.table()
              + " was already loaded from an earlier staging of that segment (" + previous.manifest() + "), and it has "
              + "been re-staged since (" + load.manifestId() + "). Run phase2 for run " + load.run()
              + " again (it prepares afresh for the new staging), then phase3 for every segment.");
        }
        return Optional.of(previous);
      }
    }
  }

  private WarehouseClient.LoadOutcome alreadyLoaded(String schema, TableLoad load) {
    return sql.inTransaction("checking the load of " + schema + "." + load.table(), c -> {
      Previous previous = previousLoad(c, schema, load).orElseThrow(() -> new WarehouseException("segment "
          + load.segment() + " of " + schema + "." + load.table() + " hit a duplicate load row that is gone now; run the load again"));
      return new WarehouseClient.LoadOutcome(previous.rows(), true);
    });
  }

  private static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  Map<WarehouseClient.SegmentTable, Long> loadedRows(String schema, String run) {
    return sql.inTransaction("reading the loads of " + schema, c -> {
      Map<WarehouseClient.SegmentTable, Long> rows = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("segment", "table_name", "rows") + " FROM "
          + sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE) + " WHERE " + sql.quoted("run_id") + " = ?")) {
        s.setString(1, run);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            rows.put(new WarehouseClient.SegmentTable(r.getInt(1), r.getString(2)), r.getLong(3));
          }
        }
      }
      return rows;
    });
  }
}
