package io.observes.jobs.batch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a stability check looks at: the FAILED jobs of some queues whose name contains
 * {@code nameContains} (case-sensitive, as Batch names are; empty matches every job) and that ended
 * at or after {@code since}. Cancelled jobs are FAILED jobs too; they are reported only when
 * {@code includeCancelled}, since a cancellation is a decision, not a fault.
 */
public record CheckScope(List<String> queues, String nameContains, Instant since, boolean includeCancelled) {
  public CheckScope {
    queues = List.copyOf(queues);
    Objects.requireNonNull(nameContains, "nameContains");
    Objects.requireNonNull(since, "since");
    if (queues.isEmpty() || queues.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("name at least one job queue, none blank");
    }
  }

  /** Whether the job is one of ours and ended inside the window (see {@link FailedJob#endedAt}). */
  public boolean covers(FailedJob job) {
    Instant ended = job.endedAt();
    return job.jobName().contains(nameContains) && ended != null && !ended.isBefore(since);
  }

  public boolean reports(FailureClass failureClass) {
    return includeCancelled || failureClass != FailureClass.CANCELLED;
  }
}
