package io.observes.jobs.quality;

import io.observes.batch.JobSpec;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.RejectionCount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the run log says of one catalogue job over a window: its runs, newest first; the rows loaded
 * per table of each successful run, oldest first; the values each run rejected (at staging); the
 * most frequent reasons its target rejected values for. When several catalogue jobs are phases of one
 * ETL, one of them answers for its tables' row counts ({@code checksTables}: the publishing phase)
 * and one for its rejected values ({@code checksRejections}: the staging phase), so that a table
 * that lost rows is one finding, not one per phase. The publishing phase also holds its tables'
 * profiles, oldest first per table.
 */
public record PipelineHistory(JobSpec job, List<RunGroup> runs, Map<String, List<TablePoint>> tables,
    Map<String, Long> rejectedByRun, List<RejectionCount> rejections, boolean checksTables, boolean checksRejections,
    Map<String, List<RecordedProfile>> profiles) {
  /** A table's rows loaded by one run. */
  public record TablePoint(String run, Instant started, long rows) {}

  public PipelineHistory {
    Objects.requireNonNull(job, "job");
    runs = List.copyOf(runs);
    tables = Map.copyOf(tables);
    rejectedByRun = Map.copyOf(rejectedByRun);
    rejections = List.copyOf(rejections);
    profiles = Map.copyOf(profiles);
  }

  public PipelineHistory(JobSpec job, List<RunGroup> runs, Map<String, List<TablePoint>> tables,
      Map<String, Long> rejectedByRun, List<RejectionCount> rejections, boolean checksTables, boolean checksRejections) {
    this(job, runs, tables, rejectedByRun, rejections, checksTables, checksRejections, Map.of());
  }

  public long rejected(RunGroup run) {
    return rejectedByRun.getOrDefault(run.run(), run.rowsRejected());
  }

  public Optional<RunGroup> last() {
    return runs.stream().findFirst();
  }

  public Optional<RunGroup> lastSuccess() {
    return runs.stream().filter(RunGroup::succeeded).findFirst();
  }

  /** Successful runs among the finished ones (running ones left out); empty without any. */
  public Optional<Double> successRate() {
    long finished = runs.stream().filter(r -> r.succeeded() || r.broken()).count();
    return finished == 0 ? Optional.empty()
        : Optional.of((double) runs.stream().filter(RunGroup::succeeded).count() / finished);
  }

  /**
   * How old the data of the last success is (empty: none in the window): from the time it recorded
   * its data as of (an export's snapshot time), else from its end, as before as-of times were kept.
   */
  public Optional<Duration> age(Instant now) {
    return lastSuccess().map(r -> Duration.between(freshAt(r), now));
  }

  /** The time the data of {@code run} counts as fresh from. */
  static Instant freshAt(RunGroup run) {
    return run.dataAsOf() != null ? run.dataAsOf() : run.finished() == null ? run.started() : run.finished();
  }

  /** Beyond its SLA: no success within {@code sla_hours} (a job without an SLA is never stale). */
  public boolean stale(Instant now) {
    if (job.slaHours() == null) {
      return false;
    }
    return age(now).map(a -> a.compareTo(Duration.ofHours(job.slaHours())) > 0).orElse(true);
  }
}
