package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The SQL both dialects share: the single {@link #quoted} function, transactions retried on
 * concurrency conflicts ({@link Transactions}), comments and counts; the staging schema's preparation
 * and swap ({@link StagingTables}), the idempotent load transaction ({@link LoadTransaction}) and the
 * run log ({@link WarehouseRunLog}, handed out as {@link #runLog}) are their own classes. Dialects
 * override only {@link #dialect}, {@link #copy}, {@link #literal}, the locks and the hooks around a load.
 */
public abstract class BaseWarehouseClient implements WarehouseClient {
  public static final String META_SCHEMA = "observes_meta";
  static final String LOADS_TABLE = "_observes_loads";
  static final String RUN_TABLE = "_observes_run";

  private final Transactions transactions;
  private final AutoCloseable pool;
  private final List<String> readers;
  private final RunLogStore runLog;
  private final StagingTables staging;
  private final LoadTransaction loads;
  private final MergeTransaction merges;
  private final CodeCommits commits;
  private final TargetLocks locks;
  private final TableProfiler profiler;

  protected BaseWarehouseClient(DataSource dataSource, AutoCloseable pool, List<String> readers) {
    this.transactions = new Transactions(dataSource, this::isConflict);
    this.pool = pool;
    this.readers = List.copyOf(readers);
    readers.forEach(this::quoted);
    this.locks = new TargetLocks(this);
    this.runLog = new WarehouseRunLog(this);
    this.staging = new StagingTables(this);
    this.loads = new LoadTransaction(this, staging);
    this.merges = new MergeTransaction(this, staging);
    this.commits = new CodeCommits(this);
    this.profiler = new TableProfiler(this);
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

  /** Constant column names, quoted and joined: built once per statement, not per call. */
  final String columnList(String... names) {
    return Arrays.stream(names).map(this::quoted).collect(Collectors.joining(", "));
  }

  /** Constant column definitions from (name, type) pairs. */
  final String columnDefinitions(String... nameTypePairs) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      sql.append(i == 0 ? "" : ", ").append(quoted(nameTypePairs[i])).append(' ').append(nameTypePairs[i + 1]);
    }
    return sql.toString();
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
      case UNKNOWN -> "VARCHAR(" + ColumnType.UNKNOWN_TEXT_BYTES + ")";
      default -> type.toString();
    };
  }

  /** The groups granted read access to every published schema. */
  final List<String> readers() {
    return readers;
  }

  /** Whether ALTER COLUMN ... TYPE runs inside a transaction block (PostgreSQL: yes; Redshift: no). */
  protected boolean typeChangesInTransaction() {
    return true;
  }

  /**
   * The statement widening {@code column} of {@code qualifiedTable} from {@code from} to {@code to}
   * (text to longer text, an exact number to a wider one or to text), or empty when this warehouse
   * cannot in one statement.
   */
  protected Optional<String> widenColumnSql(String qualifiedTable, String column, ColumnType from, ColumnType to) {
    String type = typeSql(to);
    return Optional.of("ALTER TABLE " + qualifiedTable + " ALTER COLUMN " + quoted(column) + " TYPE " + type + " USING "
        + quoted(column) + "::" + type);
  }

  /**
   * The aggregate counting the distinct values of {@code column} (already quoted) in a profile's scan.
   * Row ids are hex text, so any collation orders them alike; a dialect may pick the cheapest.
   */
  protected String distinctCount(String column) {
    return "COUNT(DISTINCT " + column + ")";
  }

  /** Runs first in the profiling transaction, which reads one snapshot (as Redshift's always do), e.g. its sorts' memory. */
  protected void beginProfile(Connection connection) throws SQLException {}

  /** Copies one group of files of {@code load} into {@code schema.table} with one COPY; returns the rows copied. */
  protected abstract long copy(Connection connection, String schema, TableLoad load, TableLoad.CopyGroup group)
      throws SQLException;

  /** Runs first in every load transaction, before any lock (e.g. a WLM query group). */
  protected void beginLoad(Connection connection, String schema) throws SQLException {}

  /** Takes {@code table}'s lock so that holders of the shared lock may run together, never with an exclusive one. */
  protected abstract void lockShared(Connection connection, String qualifiedTable) throws SQLException;

  protected abstract void lockExclusive(Connection connection, String qualifiedTable) throws SQLException;

  /**
   * Turns a failed load into an error that says what went wrong with which rows. Runs after the
   * load's transaction was rolled back.
   */
  protected WarehouseException loadFailure(Connection connection, String schema, TableLoad load, SQLException e) {
    return new WarehouseException("loading " + schema + "." + load.table() + " failed, nothing was committed: "
        + e.getMessage(), e);
  }

  /** A conflict with a concurrent transaction, which retrying resolves. */
  protected boolean isConflict(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  protected final Connection connect() throws SQLException {
    return transactions.connect();
  }

  protected interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** {@code work} in one transaction, retried while it conflicts with concurrent ones. */
  protected final <T> T inTransaction(String what, Work<T> work) {
    return transactions.inTransaction(what, work);
  }

  /** Statements that cannot run inside a transaction block on every warehouse (ANALYZE). */
  protected final void autocommit(String what, Work<Void> work) {
    transactions.autocommit(what, work);
  }

  final <T> T retryingConflicts(String what, java.util.function.Supplier<T> attempt) {
    return transactions.retryingConflicts(what, attempt);
  }

  protected final void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The lock of {@code staging} and its target, created when missing: every transaction on them takes it first. */
  final String targetLock(String staging) {
    return locks.ensure(staging);
  }

  @Override
  public boolean schemaExists(String schema) {
    return inTransaction("looking up schema " + schema, c -> Catalogue.schemaExists(c, schema));
  }

  @Override
  public Optional<StagingOwner> owner(String schema) {
    return inTransaction("reading which run owns " + schema, c -> staging.owner(c, schema));
  }

  @Override
  public void prepareStaging(String schema, StagingOwner owner, List<TableDefinition> tables, LeaseCheck check) {
    staging.prepare(schema, owner, tables, check);
  }

  @Override
  public LoadOutcome load(String schema, TableLoad load) {
    return loads.load(schema, load);
  }

  @Override
  public Map<String, LoadedTable> loadedTables(String schema, String run) {
    return loads.loadedTables(schema, run);
  }

  @Override
  public long countRows(String schema, String table) {
    return inTransaction("counting " + schema + "." + table, c -> rows(c, qualified(schema, table)));
  }

  final long rows(Connection c, String qualifiedTable) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + qualifiedTable)) {
      r.next();
      return r.getLong(1);
    }
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
  public void analyze(String schema, List<String> tables) {
    for (String table : tables) {
      autocommit("analyzing " + schema + "." + table, c -> {
        execute(c, "ANALYZE " + qualified(schema, table));
        return null;
      });
    }
  }

  @Override
  public void swap(String staging, String target, String backup, String run, LeaseCheck check) {
    this.staging.swap(staging, target, backup, run, check);
  }

  @Override
  public Map<String, RowChanges> publishInPlace(String staging, String target, List<TableUpdate> tables, String run,
      LeaseCheck check) {
    return merges.publish(staging, target, tables, run, check);
  }

  @Override
  public java.util.OptionalLong countRowsIfExists(String schema, String table) {
    return inTransaction("counting " + schema + "." + table, c -> {
      return Catalogue.tableExists(c, schema, table) ? java.util.OptionalLong.of(rows(c, qualified(schema, table)))
          : java.util.OptionalLong.empty();
    });
  }

  @Override
  public java.util.Set<String> activeGroups(String schema, java.time.YearMonth month) {
    return commits.activeGroups(schema, month);
  }

  @Override
  public List<CodeCommit> commitsFirstSeenIn(String schema, java.time.YearMonth month) {
    return commits.firstSeenIn(schema, month);
  }

  @Override
  public List<TableProfile> profile(String schema, List<ProfileRequest> tables) {
    return profiler.profile(schema, tables);
  }

  @Override
  public RunLogStore runLog() {
    return runLog;
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
