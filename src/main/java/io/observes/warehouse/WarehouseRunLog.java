package io.observes.warehouse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run log on a client's connections: its writes ({@link RunLogTables}), its reads
 * ({@link RunLogQueries}) and the profiles ({@link ProfileLog}), each a class of its own.
 */
final class WarehouseRunLog implements RunLogStore {
  private final RunLogTables tables;
  private final RunLogQueries queries;
  private final ProfileLog profiles;

  WarehouseRunLog(BaseWarehouseClient sql) {
    this.tables = new RunLogTables(sql);
    this.queries = new RunLogQueries(sql, tables);
    this.profiles = new ProfileLog(sql);
  }

  @Override
  public void ensure() {
    tables.ensure();
  }

  @Override
  public void recordRunStart(RunEntry entry, String stateBefore) {
    tables.start(entry, stateBefore);
  }

  @Override
  public void recordRunEnd(RunEntry entry, Instant finished, String status, String error) {
    tables.end(entry, finished, status, error);
  }

  @Override
  public void recordRunSuccess(RunEntry entry, Instant finished, List<TableCounts> counts, String stateBefore,
      String stateAfter, Instant dataAsOf) {
    tables.succeeded(entry, finished, counts, stateBefore, stateAfter, dataAsOf);
  }

  @Override
  public void recordHeartbeat(RunEntry entry, Instant at) {
    tables.heartbeat(entry, at);
  }

  @Override
  public void nameRunTables(String job, String run, Map<String, String> namesByKey) {
    tables.name(job, run, namesByKey);
  }

  @Override
  public List<RunSummary> runs(RunQuery query, Instant now) {
    return queries.runs(query, now);
  }

  @Override
  public List<TableRun> tableRuns(String job, Instant since) {
    return queries.tableRuns(job, since);
  }

  @Override
  public List<RejectionCount> rejectionReasons(String schema, int limit) {
    return queries.rejectionReasons(schema, limit);
  }

  @Override
  public void recordProfiles(String job, String run, String target, Instant at, List<TableProfile> tableProfiles,
      Instant pruneBefore) {
    profiles.record(job, run, target, at, tableProfiles, pruneBefore);
  }

  @Override
  public List<RecordedProfile> profiles(String job, Instant since, Optional<String> table) {
    return profiles.read(job, since, table);
  }
}
