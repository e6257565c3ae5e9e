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
 * One table of a run loaded idempotently: in one transaction that takes its target's lock first
 * ({@link TargetLocks}; shared where the warehouse has a shared mode, PostgreSQL, exclusive on
 * Redshift, where that also keeps two loads of one table from both finding it unloaded: Redshift does
 * not enforce the bookkeeping table's primary key) and proves the staging schema belongs to the load's
 * run, the table's COPYs (one per column list, as a rule one) and its bookkeeping row commit
 * together, so a table loaded before is found and skipped, never doubled.
 */
final class LoadTransaction {
  private final BaseWarehouseClient sql;
  private final StagingTables staging;

  LoadTransaction(BaseWarehouseClient sql, StagingTables staging) {
    this.sql = sql;
    this.staging = staging;
  }

  WarehouseClient.LoadOutcome load(String schema, TableLoad load) {
    return sql.retryingConflicts("loading " + schema + "." + load.table(), () -> attempt(schema, load));
  }

  private WarehouseClient.LoadOutcome attempt(String schema, TableLoad load) {
    String lock = sql.targetLock(schema);
    try (Connection c = sql.connect()) {
      c.setAutoCommit(false);
      try {
        sql.beginLoad(c, schema);
        // The target's lock first, then the staging tables (ownership before any of them is touched).
        sql.lockShared(c, lock);
        staging.requireOwner(c, schema, load.run(), "load " + load.table());
        WarehouseClient.LoadOutcome outcome = loadInTransaction(c, schema, load);
        c.commit();
        return outcome;
      } catch (SQLException e) {
        c.rollback();
        if (isDuplicateKey(e)) {
          // Another process committed the same table first: it is loaded, once.
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
          + Transactions.describe(e), e);
    }
  }

  private WarehouseClient.LoadOutcome loadInTransaction(Connection c, String schema, TableLoad load) throws SQLException {
    Optional<LoadedTable> previous = previousLoad(c, schema, load);
    if (previous.isPresent()) {
      return new WarehouseClient.LoadOutcome(previous.get().rows(), true);
    }
    long copied = 0;
    for (TableLoad.CopyGroup group : load.groups()) {
      copied += sql.copy(c, schema, load, group);
    }
    if (copied != load.expectedRows()) {
      throw new WarehouseException(schema + "." + load.table() + ": COPY loaded " + copied + " rows but the manifests list "
          + load.expectedRows() + "; nothing was committed. A staged file is damaged or was replaced: stage the run's "
          + "segments again (phase1 --restage), then phase2 and phase3.");
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE)
        + " (" + sql.columnList("run_id", "table_name", "inputs", "rows", "copies", "loaded_at")
        + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, load.run());
      s.setString(2, load.table());
      s.setString(3, load.inputs().text());
      s.setLong(4, copied);
      s.setInt(5, load.groups().size());
      s.setTimestamp(6, Timestamp.from(Instant.now()));
      s.executeUpdate();
    }
    return new WarehouseClient.LoadOutcome(copied, false);
  }

  /** An earlier load of the same table; refuses one from a different staging of its segments. */
  private Optional<LoadedTable> previousLoad(Connection c, String schema, TableLoad load) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("rows", "inputs", "copies") + " FROM "
        + sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE) + " WHERE " + sql.quoted("run_id") + " = ? AND "
        + sql.quoted("table_name") + " = ?")) {
      s.setString(1, load.run());
      s.setString(2, load.table());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        LoadedTable previous = new LoadedTable(load.table(), r.getLong(1), SegmentInputs.parse(r.getString(2)), r.getInt(3));
        if (!previous.inputs().equals(load.inputs())) {
          throw new WarehouseException(schema + "." + load.table() + " was already loaded from other stagings of segment(s) "
              + previous.inputs().changedSegments(load.inputs()) + " than they hold now: they were re-staged since. "
              + "Run phase2 for run " + load.run() + " again (it prepares afresh for the new staging), then phase3.");
        }
        return Optional.of(previous);
      }
    }
  }

  private WarehouseClient.LoadOutcome alreadyLoaded(String schema, TableLoad load) {
    return sql.inTransaction("checking the load of " + schema + "." + load.table(), c -> {
      LoadedTable previous = previousLoad(c, schema, load).orElseThrow(() -> new WarehouseException(schema + "."
          + load.table() + " hit a duplicate load row that is gone now; run the load again"));
      return new WarehouseClient.LoadOutcome(previous.rows(), true);
    });
  }

  private static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  Map<String, LoadedTable> loadedTables(String schema, String run) {
    return sql.inTransaction("reading the loads of " + schema, c -> {
      Map<String, LoadedTable> tables = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("table_name", "rows", "inputs", "copies")
          + " FROM " + sql.qualified(schema, BaseWarehouseClient.LOADS_TABLE) + " WHERE " + sql.quoted("run_id") + " = ?")) {
        s.setString(1, run);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            tables.put(r.getString(1), new LoadedTable(r.getString(1), r.getLong(2), SegmentInputs.parse(r.getString(3)),
                r.getInt(4)));
          }
        }
      }
      return tables;
    });
  }
}
