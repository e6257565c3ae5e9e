package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the pipeline asks of a warehouse. One implementation per dialect
 * ({@link PostgresClient} for local runs and tests, {@link RedshiftClient} in production), sharing
 * their SQL in {@link BaseWarehouseClient}. Identifiers always pass through {@link #quoted}; values
 * only through bind parameters or COPY.
 */
public interface WarehouseClient extends AutoCloseable {
  /** The one way an identifier enters SQL. */
  String quoted(String identifier);

  /** The SQL type a column type is created as. */
  String typeSql(ColumnType type);

  /** The limits and staged-file format of this warehouse. */
  Dialect dialect();

  boolean schemaExists(String schema);

  /** The run a schema (staging, published or backup) holds, if Observes prepared it. */
  Optional<StagingOwner> owner(String schema);

  /**
   * In one transaction, never interleaved with a load or swap: drops {@code schema} if it exists and
   * creates it afresh with the bookkeeping tables, {@code tables} with their comments, and last the
   * row naming its {@code owner}. {@code check} runs first under the target's lock: a run that lost
   * the lease named in {@code owner} does not take the staging over ({@link LeaseCheck}).
   */
  void prepareStaging(String schema, StagingOwner owner, List<TableDefinition> tables, LeaseCheck check);

  /** {@link #prepareStaging(String, StagingOwner, List, LeaseCheck)} for a run without a lease. */
  default void prepareStaging(String schema, StagingOwner owner, List<TableDefinition> tables) {
    prepareStaging(schema, owner, tables, LeaseCheck.NONE);
  }

  /**
   * Loads one table's files of every segment, idempotently: its COPYs (one per column list, as a
   * rule one) and the bookkeeping row commit together, so a table loaded before is skipped, never
   * doubled. Refused when {@code schema} no longer belongs to the load's run.
   */
  LoadOutcome load(String schema, TableLoad load);

  /** The bookkeeping rows of {@code run} in {@code schema}, by table. */
  Map<String, LoadedTable> loadedTables(String schema, String run);

  long countRows(String schema, String table);

  /**
   * Sets {@code column} to {@code values.get(key)} in every row whose {@code keyColumn} is a key
   * of {@code values} and whose {@code column} is still null.
   */
  void fillColumn(String schema, String table, String column, String keyColumn, Map<String, String> values);

  /** Refreshes the planner statistics of the tables (their COPY ran with STATUPDATE OFF). */
  void analyze(String schema, List<String> tables);

  /**
   * In one transaction, after proving {@code staging} belongs to {@code run}: drop {@code backup},
   * rename {@code target} to {@code backup} (if it exists), rename {@code staging} to {@code target},
   * and grant the configured readers their access; last, {@code check} the lease the staging was
   * prepared under ({@link LeaseCheck}). Readers see the old or the new data.
   */
  void swap(String staging, String target, String backup, String run, LeaseCheck check);

  default void swap(String staging, String target, String backup, String run) {
    swap(staging, target, backup, run, LeaseCheck.NONE);
  }

  /**
   * For a target kept across runs (it has merged tables): in one transaction, after proving
   * {@code staging} belongs to {@code run}, every table of {@code tables} updated in {@code target}
   * as its mode says (created, new columns added, types widened where no value changes), the run's
   * owner row set, {@code staging} dropped, readers granted access, and last, {@code check} the lease
   * the staging was prepared under ({@link LeaseCheck}). See {@link TableUpdate}. Returns what
   * happened to each table.
   */
  Map<String, RowChanges> publishInPlace(String staging, String target, List<TableUpdate> tables, String run,
      LeaseCheck check);

  default Map<String, RowChanges> publishInPlace(String staging, String target, List<TableUpdate> tables, String run) {
    return publishInPlace(staging, target, tables, run, LeaseCheck.NONE);
  }

  /** The rows of {@code schema.table}, or empty when there is no such table. */
  java.util.OptionalLong countRowsIfExists(String schema, String table);

  /** Billing: the groups of {@code schema.commits} with a commit seen in {@code month} (UTC). */
  java.util.Set<String> activeGroups(String schema, java.time.YearMonth month);

  /**
   * Billing: the commits of {@code schema.commits} seen in {@code month} whose {@code fa_hash} was
   * first seen, in any group, in that month (a commit is billed once, in its first month).
   */
  List<CodeCommit> commitsFirstSeenIn(String schema, java.time.YearMonth month);

  /** The run log (and the profiles of the runs) in {@code observes_meta}, on this client's connections. */
  RunLogStore runLog();

  /**
   * Profiles the tables of {@code schema} that exist, one read each, all in one transaction: rows, NULLs
   * per column (from a request's staged counts while they are the table's, else a scan: a second read for
   * a table whose row count says they are not), the key's distinct values, a child table's orphans,
   * columns with types and lineage.
   */
  List<TableProfile> profile(String schema, List<ProfileRequest> tables);

  @Override
  void close();

  /** Whether a load copied rows or found the table already loaded. */
  record LoadOutcome(long rows, boolean skipped) {}
}
