package io.observes.warehouse;

import io.observes.pipeline.schema.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The SQL both dialects share: DDL, comments, the idempotent load transaction, the swap and the run
 * log. Dialects override only {@link #copy}, {@link #literal} and the hooks around a load.
 */
public abstract class BaseWarehouseClient implements WarehouseClient {
  public static final String META_SCHEMA = "observes_meta";
  static final String LOADS_TABLE = "_observes_loads";

  private final DataSource dataSource;
  private final AutoCloseable pool;
  private final RunLogTables runLog = new RunLogTables(this);

  protected BaseWarehouseClient(DataSource dataSource, AutoCloseable pool) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.pool = pool;
  }

  @Override
  public final String quoted(String identifier) {
    Objects.requireNonNull(identifier, "identifier");
    if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a valid SQL identifier: '" + identifier + "'");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  protected final String qualified(String schema, String table) {
    return quoted(schema) + "." + quoted(table);
  }

  /** A string literal, for the few places SQL takes no bind parameter (COMMENT, COPY options). */
  protected String literal(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a SQL string cannot hold a NUL character");
    }
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public String typeSql(ColumnType type) {
    return switch (type.family()) {
      case UNKNOWN -> "VARCHAR(16)";
      default -> type.toString();
    };
  }

  /** Copies the files of {@code load} into {@code schema.table}; returns the rows copied. */
  protected abstract long copy(Connection connection, String schema, TableLoad load) throws SQLException;

  /** Runs first in every load transaction (e.g. a WLM query group, a lock). */
  protected void beginLoad(Connection connection, String schema) throws SQLException {}

  /** Turns a failed load into an error that says what went wrong with which rows. */
  protected WarehouseException loadFailure(Connection connection, String schema, TableLoad load, SQLException e) {
    return new WarehouseException(
        "loading segment " + load.segment() + " of " + schema + "." + load.table() + " failed: " + e.getMessage(), e);
  }

  protected final Connection connect() throws SQLException {
    return dataSource.getConnection();
  }

  protected interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  protected final <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new WarehouseException(what + " failed: " + describe(e), e);
    }
  }

  /** The message and, for pool timeouts, the driver's reason underneath. */
  static String describe(SQLException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getMessage() : e.getMessage() + " (cause: " + root.getMessage() + ")";
  }

  protected final void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public boolean schemaExists(String schema) {
    return inTransaction("looking up schema " + schema, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
        s.setString(1, schema);
        try (ResultSet r = s.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  @Override
  public void recreateSchema(String schema) {
    inTransaction("recreating schema " + schema, c -> {
      execute(c, "DROP SCHEMA IF EXISTS " + quoted(schema) + " CASCADE");
      execute(c, "CREATE SCHEMA " + quoted(schema));
      execute(c, "CREATE TABLE " + qualified(schema, LOADS_TABLE) + " ("
          + quoted("run_id") + " VARCHAR(128) NOT NULL, "
          + quoted("segment") + " INTEGER NOT NULL, "
          + quoted("table_name") + " VARCHAR(127) NOT NULL, "
          + quoted("manifest") + " VARCHAR(128) NOT NULL, "
          + quoted("rows") + " BIGINT NOT NULL, "
          + quoted("loaded_at") + " TIMESTAMPTZ NOT NULL, "
          + "PRIMARY KEY (" + quoted("run_id") + ", " + quoted("segment") + ", " + quoted("table_name") + "))");
      execute(c, "COMMENT ON TABLE " + qualified(schema, LOADS_TABLE) + " IS "
          + literal("Observes load bookkeeping: one row per run, segment and table loaded into this schema."));
      return null;
    });
  }

  @Override
  public void createTable(String schema, TableDefinition table) {
    inTransaction("creating table " + schema + "." + table.name(), c -> {
      String columns = table.columns().stream()
          .map(col -> quoted(col.name()) + " " + typeSql(col.type()))
          .collect(Collectors.joining(", "));
      execute(c, "CREATE TABLE " + qualified(schema, table.name()) + " (" + columns + ")");
      execute(c, "COMMENT ON TABLE " + qualified(schema, table.name()) + " IS " + literal(table.comment()));
      for (TableDefinition.ColumnDefinition col : table.columns()) {
        execute(c, "COMMENT ON COLUMN " + qualified(schema, table.name()) + "." + quoted(col.name())
            + " IS " + literal(col.comment()));
      }
      return null;
    });
  }

  @Override
  public LoadOutcome load(String schema, TableLoad load) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        beginLoad(c, schema);
        LoadOutcome outcome = loadInTransaction(c, schema, load);
        c.commit();
        return outcome;
      } catch (SQLException e) {
        c.rollback();
        if (isDuplicateKey(e)) {
          // Another process committed the same segment first: it is loaded, once.
          return alreadyLoaded(schema, load);
        }
        throw loadFailure(c, schema, load, e);
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new WarehouseException("could not connect to load " + schema + "." + load.table() + ": " + describe(e), e);
    }
  }

  private LoadOutcome loadInTransaction(Connection c, String schema, TableLoad load) throws SQLException {
    Long[] previous = previousLoad(c, schema, load);
    if (previous != null) {
      return new LoadOutcome(previous[0], true);
    }
    long copied = copy(c, schema, load);
    if (copied != load.expectedRows()) {
      throw new WarehouseException("segment " + load.segment() + " of " + schema + "." + load.table() + ": COPY loaded "
          + copied + " rows but the manifest lists " + load.expectedRows() + "; nothing was committed. "
          + "Re-stage the segment (phase1) and load it again.");
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + qualified(schema, LOADS_TABLE)
        + " (" + quoted("run_id") + ", " + quoted("segment") + ", " + quoted("table_name") + ", " + quoted("manifest")
        + ", " + quoted("rows") + ", " + quoted("loaded_at") + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, load.run());
      s.setInt(2, load.segment());
      s.setString(3, load.table());
      s.setString(4, load.manifestId());
      s.setLong(5, copied);
      s.setTimestamp(6, Timestamp.from(Instant.now()));
      s.executeUpdate();
    }
    return new LoadOutcome(copied, false);
  }

  /** The rows of an earlier load of the same segment and table, or null; refuses a different staging. */
  private Long[] previousLoad(Connection c, String schema, TableLoad load) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + quoted("manifest") + ", " + quoted("rows") + " FROM "
        + qualified(schema, LOADS_TABLE) + " WHERE " + quoted("run_id") + " = ? AND " + quoted("segment") + " = ? AND "
        + quoted("table_name") + " = ?")) {
      s.setString(1, load.run());
      s.setInt(2, load.segment());
      s.setString(3, load.table());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        if (!r.getString(1).equals(load.manifestId())) {
          throw new WarehouseException("segment " + load.segment() + " of " + schema + "." + load.table()
              + " was already loaded from an earlier staging of that segment (" + r.getString(1) + "), and it has been "
              + "re-staged since (" + load.manifestId() + "). Start the load afresh: re-run the preparation phase, "
              + "then load every segment again.");
        }
        return new Long[] {r.getLong(2)};
      }
    }
  }

  private LoadOutcome alreadyLoaded(String schema, TableLoad load) {
    return inTransaction("checking the load of " + schema + "." + load.table(), c -> {
      Long[] previous = previousLoad(c, schema, load);
      if (previous == null) {
        throw new WarehouseException("segment " + load.segment() + " of " + schema + "." + load.table()
            + " hit a duplicate load row that is gone now; run the load again");
      }
      return new LoadOutcome(previous[0], true);
    });
  }

  protected boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  public Map<SegmentTable, Long> loadedRows(String schema, String run) {
    return inTransaction("reading the loads of " + schema, c -> {
      Map<SegmentTable, Long> rows = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + quoted("segment") + ", " + quoted("table_name") + ", "
          + quoted("rows") + " FROM " + qualified(schema, LOADS_TABLE) + " WHERE " + quoted("run_id") + " = ?")) {
        s.setString(1, run);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            rows.put(new SegmentTable(r.getInt(1), r.getString(2)), r.getLong(3));
          }
        }
      }
      return rows;
    });
  }

  @Override
  public long countRows(String schema, String table) {
    return inTransaction("counting " + schema + "." + table, c -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + qualified(schema, table))) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  @Override
  public void fillColumn(String schema, String table, String column, String keyColumn, Map<String, String> values) {
    inTransaction("updating " + schema + "." + table, c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE " + qualified(schema, table) + " SET " + quoted(column)
          + " = ? WHERE " + quoted(keyColumn) + " = ? AND " + quoted(column) + " IS NULL")) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
          s.setString(1, entry.getValue());
          s.setString(2, entry.getKey());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  @Override
  public void swap(String staging, String target, String backup) {
    if (!schemaExists(staging)) {
      throw new WarehouseException("there is no staging schema " + staging + " to publish; run the preparation and load phases first");
    }
    boolean hasTarget = schemaExists(target);
    inTransaction("swapping " + staging + " into " + target, c -> {
      execute(c, "DROP SCHEMA IF EXISTS " + quoted(backup) + " CASCADE");
      if (hasTarget) {
        execute(c, "ALTER SCHEMA " + quoted(target) + " RENAME TO " + quoted(backup));
      }
      execute(c, "ALTER SCHEMA " + quoted(staging) + " RENAME TO " + quoted(target));
      return null;
    });
  }

  @Override
  public void ensureRunLog() {
    runLog.ensure();
  }

  @Override
  public void recordRunStart(RunEntry entry) {
    runLog.start(entry);
  }

  @Override
  public void recordRunEnd(RunEntry entry, Instant finished, String status, String error) {
    runLog.end(entry, finished, status, error);
  }

  @Override
  public void recordRunTable(RunEntry entry, TableCounts counts) {
    runLog.table(entry, counts);
  }

  @Override
  public List<RunSummary> recentRuns(String job, int limit) {
    return runLog.recent(job, limit);
  }

  @Override
  public void close() {
    if (pool != null) {
      try {
        pool.close();
      } catch (Exception e) {
        throw new WarehouseException("closing the connection pool failed: " + e.getMessage(), e);
      }
    }
  }
}
