package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.time.Instant;
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

  /** Run log: creates {@code observes_meta} and its tables when missing. */
  void ensureRunLog();

  /** A phase started; {@code stateBefore}: a differential source's state (JSON) it starts from, or null. */
  void recordRunStart(RunEntry entry, String stateBefore);

  default void recordRunStart(RunEntry entry) {
    recordRunStart(entry, null);
  }

  /** A phase ended without its work done (FAILED, with the error). */
  void recordRunEnd(RunEntry entry, Instant finished, String status, String error);

  /**
   * A phase succeeded: its per-table counts, the state it left ({@code stateAfter}, null when not
   * advanced) and its end, in one transaction of a few multi-row statements.
   */
  void recordRunSuccess(RunEntry entry, Instant finished, List<TableCounts> tables, String stateBefore, String stateAfter,
      Instant dataAsOf);

  /** Gives the run's table rows recorded by key alone (the stage phase) their warehouse names. */
  void nameRunTables(String job, String run, Map<String, String> namesByKey);

  /** Run-log rows, newest first, as {@code query} selects them; RUNNING rows without a heartbeat for long are LOST. */
  List<RunSummary> runs(RunQuery query, Instant now);

  /** The rows per table of every run of {@code job} since {@code since}, oldest first. */
  List<TableRun> tableRuns(String job, Instant since);

  /** The most frequent reasons values of {@code schema} were rejected for (none when it has no {@code _rejected}). */
  List<RejectionCount> rejectionReasons(String schema, int limit);

  /**
   * Profiles the tables of {@code schema} that exist, one read each, all in one transaction: rows, NULLs
   * per column (from a request's staged counts while they are the table's, else a scan: a second read for
   * a table whose row count says they are not), the key's distinct values, a child table's orphans,
   * columns with types and lineage.
   */
  List<TableProfile> profile(String schema, List<ProfileRequest> tables);

  /**
   * Run log: the profiles of a run, one row per table and per column, in one transaction that also
   * deletes every profile recorded before {@code pruneBefore}.
   */
  void recordProfiles(String job, String run, String target, Instant at, List<TableProfile> tables, Instant pruneBefore);

  /** Run log: the profiles of run-log job {@code job} since {@code since} (of one table, if given), oldest first. */
  List<RecordedProfile> profiles(String job, Instant since, Optional<String> table);

  /** A live run's heartbeat: the row's {@code heartbeat_at} set to {@code at}. */
  void recordHeartbeat(RunEntry entry, Instant at);

  @Override
  void close();

  /** Whether a load copied rows or found the table already loaded. */
  record LoadOutcome(long rows, boolean skipped) {}
}
