package io.observes.warehouse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run log in the warehouse's {@code observes_meta} schema: every phase of every run (its start,
 * heartbeats and end, its per-table counts and the state it left), the profiles of the tables each run
 * published, and the reads of them that {@code observes runs}, {@code observes profile} and the report
 * make. A {@link WarehouseClient} hands out its own ({@link WarehouseClient#runLog}), on its
 * connections and dialect; the tables it publishes are the client's business.
 */
public interface RunLogStore {
  /** Creates {@code observes_meta} and its tables when missing, and brings an older layout up to date. */
  void ensure();

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

  /** A live run's heartbeat: the row's {@code heartbeat_at} set to {@code at}. */
  void recordHeartbeat(RunEntry entry, Instant at);

  /** Gives the run's table rows recorded by key alone (the stage phase) their warehouse names. */
  void nameRunTables(String job, String run, Map<String, String> namesByKey);

  /** Run-log rows, newest first, as {@code query} selects them; RUNNING rows without a heartbeat for long are LOST. */
  List<RunSummary> runs(RunQuery query, Instant now);

  /** The rows per table of every run of {@code job} since {@code since}, oldest first. */
  List<TableRun> tableRuns(String job, Instant since);

  /** The most frequent reasons values of {@code schema} were rejected for (none when it has no {@code _rejected}). */
  List<RejectionCount> rejectionReasons(String schema, int limit);

  /**
   * The profiles of a run, one row per table and per column, in one transaction that also deletes
   * every profile recorded before {@code pruneBefore}.
   */
  void recordProfiles(String job, String run, String target, Instant at, List<TableProfile> tables, Instant pruneBefore);

  /** The profiles of run-log job {@code job} since {@code since} (of one table, if given), oldest first. */
  List<RecordedProfile> profiles(String job, Instant since, Optional<String> table);
}
