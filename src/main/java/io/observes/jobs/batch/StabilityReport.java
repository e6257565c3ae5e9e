package io.observes.jobs.batch;

import io.observes.warehouse.TableCounts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of one check: the jobs in scope, oldest end first, and how many cancelled jobs were
 * seen but left out because the scope does not report cancellations (so the summary can say so
 * instead of hiding them).
 */
public record StabilityReport(CheckScope scope, List<FailedJob> jobs, int cancelledLeftOut) {
  public StabilityReport {
    Objects.requireNonNull(scope, "scope");
    jobs = List.copyOf(jobs);
  }

  /** The classes this report speaks for: all four, or all but CANCELLED when the scope leaves them out. */
  public List<FailureClass> classes() {
    List<FailureClass> classes = new ArrayList<>();
    for (FailureClass c : FailureClass.values()) {
      if (scope.reports(c)) {
        classes.add(c);
      }
    }
    return classes;
  }

  /** Jobs per class, every reported class present (zero included), in {@link FailureClass} order. */
  public Map<FailureClass, Long> counts() {
    Map<FailureClass, Long> counts = new EnumMap<>(FailureClass.class);
    for (FailureClass c : classes()) {
      counts.put(c, 0L);
    }
    for (FailedJob job : jobs) {
      counts.merge(job.failureClass(), 1L, Long::sum);
    }
    return counts;
  }

  public List<FailedJob> failures() {
    return jobs.stream().filter(j -> j.failureClass().isFailure()).toList();
  }

  public List<FailedJob> cancellations() {
    return jobs.stream().filter(j -> !j.failureClass().isFailure()).toList();
  }

  public boolean hasFailures() {
    return !failures().isEmpty();
  }

  /**
   * The run log's view of the check: one entry per reported class, named after it, with its job
   * count as rows written (the run log has no column for "jobs"; a class is this check's "table").
   */
  public List<TableCounts> tableCounts() {
    return counts().entrySet().stream().map(e -> TableCounts.unnamed(e.getKey().name(), e.getValue(), 0, 0)).toList();
  }

  /** One line: what was looked at and what was found. */
  public String summary() {
    StringBuilder line = new StringBuilder().append(scope.queues().size() == 1 ? "queue " : "queues ").append(String.join(", ", scope.queues())).append(", jobs named *")
        .append(scope.nameContains()).append("* that ended since ").append(scope.since()).append(": ")
        .append(failures().size()).append(" failed");
    String perClass = counts().entrySet().stream().filter(e -> e.getKey().isFailure())
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    line.append(" (").append(perClass).append(")");
    if (scope.includeCancelled()) {
      line.append(", ").append(cancellations().size()).append(" cancelled");
    } else if (cancelledLeftOut > 0) {
      line.append(", ").append(cancelledLeftOut).append(" cancelled not listed");
    }
    return line.toString();
  }

  /** The alert's text: the summary, then one line per reported job, failures first. */
  public String alertText() {
    StringBuilder text = new StringBuilder("observes batch-stability: ").append(summary());
    for (FailedJob job : failures()) {
      text.append('\n').append(line(job));
    }
    for (FailedJob job : cancellations()) {
      text.append('\n').append(line(job));
    }
    return text.toString();
  }

  private static String line(FailedJob job) {
    StringBuilder line = new StringBuilder("- ").append(job.jobName()).append(" (").append(job.jobId()).append("): ")
        .append(job.failureClass());
    if (job.exitCode() != null) {
      line.append(", exit code ").append(job.exitCode());
    }
    if (job.stoppedAt() != null) {
      line.append(", stopped ").append(job.stoppedAt());
    }
    if (!job.reason().isEmpty()) {
      line.append(": ").append(job.reason());
    }
    return line.toString();
  }
}
