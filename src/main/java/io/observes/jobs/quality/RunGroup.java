package io.observes.jobs.quality;

import io.observes.warehouse.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One run of a pipeline as its run-log rows tell it (several rows for a segmented phase): FAILED
 * when a row failed, LOST when one stopped beating, RUNNING while one runs, else SUCCEEDED; from
 * its first start to its last end; its rows loaded and rejected; the first error; the time its data
 * is as of when a row recorded one (an export's snapshot time, a change window's end), else null.
 */
public record RunGroup(String run, Instant started, Instant finished, String status, long rowsLoaded, long rowsRejected,
    String error, String target, Instant dataAsOf) {
  public RunGroup {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(status, "status");
  }

  static RunGroup of(String run, List<RunSummary> rows) {
    String status = rows.stream().anyMatch(r -> r.status().equals("FAILED")) ? "FAILED"
        : rows.stream().anyMatch(r -> r.status().equals(RunSummary.LOST)) ? RunSummary.LOST
        : rows.stream().anyMatch(r -> r.status().equals("RUNNING")) ? "RUNNING" : "SUCCEEDED";
    Instant started = rows.stream().map(RunSummary::started).min(Comparator.naturalOrder()).orElseThrow();
    Instant finished = rows.stream().allMatch(r -> r.finished() != null)
        ? rows.stream().map(RunSummary::finished).max(Comparator.naturalOrder()).orElseThrow() : null;
    String error = rows.stream().map(RunSummary::errorLine).filter(e -> !e.isEmpty()).findFirst().orElse(null);
    String target = rows.stream().map(RunSummary::target).filter(Objects::nonNull).findFirst().orElse(null);
    Instant asOf = rows.stream().map(RunSummary::dataAsOf).filter(Objects::nonNull).max(Comparator.naturalOrder())
        .orElse(null);
    return new RunGroup(run, started, finished, status, rows.stream().mapToLong(RunSummary::rowsLoaded).sum(),
        rows.stream().mapToLong(RunSummary::rowsRejected).sum(), error, target, asOf);
  }

  public boolean succeeded() {
    return status.equals("SUCCEEDED");
  }

  public boolean broken() {
    return status.equals("FAILED") || status.equals(RunSummary.LOST);
  }

  /**
   * When its data was read from the source: the recorded as-of time, else its first start (what a
   * run reads is no older than that).
   */
  public Instant readAsOf() {
    return dataAsOf == null ? started : dataAsOf;
  }

  /** How far its data lagged behind the source when it was published: from {@link #readAsOf} to its end. */
  public Duration lag(Instant now) {
    return Duration.between(readAsOf(), finished == null ? now : finished);
  }

  public Duration duration(Instant now) {
    return Duration.between(started, finished == null ? now : finished);
  }
}
