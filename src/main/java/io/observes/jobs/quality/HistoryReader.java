package io.observes.jobs.quality;

import io.observes.batch.JobSpec;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.RejectionCount;
import io.observes.warehouse.RunLogStore;
import io.observes.warehouse.RunQuery;
import io.observes.warehouse.RunSummary;
import io.observes.warehouse.TableRun;
import io.observes.warehouse.WarehouseClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads every catalogue job's history from the run log: its run-log job's rows (of its phase, when
 * the job is one phase of an ETL), grouped by run; the rows its successful runs loaded per table
 * (from their publish phase, else their load); the top reasons of its target's {@code _rejected}; the
 * profiles of its tables, for the job that answers for them.
 */
public final class HistoryReader {
  /** The most run-log rows read per job: years of nightly runs. */
  static final int ROWS = 100_000;
  private static final Set<String> LOADING_PHASES = Set.of("publish", "load");

  private final RunLogStore runLog;

  public HistoryReader(WarehouseClient warehouse) {
    this.runLog = Objects.requireNonNull(warehouse, "warehouse").runLog();
  }

  public List<PipelineHistory> read(List<JobSpec> jobs, Instant since, Instant now) {
    runLog.ensure();
    List<PipelineHistory> histories = new ArrayList<>();
    Map<String, List<RunSummary>> rowsByLogJob = new LinkedHashMap<>();
    Map<String, List<TableRun>> tablesByLogJob = new LinkedHashMap<>();
    for (JobSpec job : jobs) {
      String logJob = job.health().logJob();
      List<RunSummary> rows = rowsByLogJob.computeIfAbsent(logJob, j -> runLog.runs(
          new RunQuery(Optional.of(j), Optional.of(since), Optional.empty(), ROWS, RunQuery.LOST_AFTER), now));
      List<RunSummary> mine = rows.stream()
          .filter(r -> job.health().logPhase().map(p -> p.equals(r.phase())).orElse(true)).toList();
      Map<String, List<RunSummary>> byRun = new LinkedHashMap<>();
      mine.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
      List<RunGroup> groups = byRun.entrySet().stream().map(e -> RunGroup.of(e.getKey(), e.getValue()))
          .sorted(Comparator.comparing(RunGroup::started).reversed()).toList();
      Set<String> succeeded = groups.stream().filter(RunGroup::succeeded).map(RunGroup::run).collect(Collectors.toSet());
      List<TableRun> tables = tablesByLogJob.computeIfAbsent(logJob, j -> runLog.tableRuns(j, since));
      Map<String, Long> rejected = new LinkedHashMap<>();
      tables.stream().filter(t -> t.phase().equals("stage")).forEach(t -> rejected.merge(t.run(), t.rowsRejected(), Long::sum));
      boolean checksTables = owner(jobs, logJob, List.of("publish", "load")) == job;
      Map<String, List<RecordedProfile>> profiles = new TreeMap<>();
      if (checksTables) {
        runLog.profiles(logJob, since, Optional.empty())
            .forEach(p -> profiles.computeIfAbsent(p.profile().table(), t -> new ArrayList<>()).add(p));
      }
      histories.add(new PipelineHistory(job, groups, tablePoints(tables, succeeded), rejected, rejections(groups),
          checksTables, owner(jobs, logJob, List.of("stage")) == job, profiles));
    }
    return histories;
  }

  /**
   * Of the catalogue jobs recording as {@code logJob}, the one that answers for a kind of check: the
   * first whose phase is the first of {@code phases} any of them has, else the first without a
   * phase (the whole ETL), else the first.
   */
  static JobSpec owner(List<JobSpec> jobs, String logJob, List<String> phases) {
    List<JobSpec> sharing = jobs.stream().filter(j -> j.health().logJob().equals(logJob)).toList();
    for (String phase : phases) {
      Optional<JobSpec> found = sharing.stream().filter(j -> j.health().logPhase().equals(Optional.of(phase))).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    return sharing.stream().filter(j -> j.health().logPhase().isEmpty()).findFirst().orElse(sharing.get(0));
  }

  /** Per table, the rows each successful run loaded: its publish phase's count, else its load's. */
  private static Map<String, List<PipelineHistory.TablePoint>> tablePoints(List<TableRun> tables, Set<String> runs) {
    Map<String, Map<String, TableRun>> best = new TreeMap<>();
    for (TableRun t : tables) {
      if (!runs.contains(t.run()) || !LOADING_PHASES.contains(t.phase())) {
        continue;
      }
      best.computeIfAbsent(t.table(), k -> new LinkedHashMap<>()).merge(t.run(), t,
          (a, b) -> a.phase().equals("publish") ? a : b.phase().equals("publish") ? b : a);
    }
    Map<String, List<PipelineHistory.TablePoint>> points = new TreeMap<>();
    best.forEach((table, byRun) -> points.put(table, byRun.values().stream()
        .sorted(Comparator.comparing(TableRun::started))
        .map(t -> new PipelineHistory.TablePoint(t.run(), t.started(), t.rowsLoaded())).toList()));
    return points;
  }

  private List<RejectionCount> rejections(List<RunGroup> groups) {
    return groups.stream().map(RunGroup::target).filter(Objects::nonNull).findFirst()
        .map(schema -> runLog.rejectionReasons(schema, 5)).orElse(List.of());
  }
}
