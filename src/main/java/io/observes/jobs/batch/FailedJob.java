package io.observes.jobs.batch;

import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.batch.model.JobSummary;

/**
 * One job that AWS Batch lists as {@code FAILED}, with the facts its class is read from. Times are
 * null where Batch did not record them (a job that never started has no {@code startedAt}, and may
 * have no {@code stoppedAt}); {@code exitCode} and {@code containerReason} are null when the summary
 * has no container or the container did not report them.
 */
public record FailedJob(
    String jobName,
    String jobId,
    Instant createdAt,
    Instant startedAt,
    Instant stoppedAt,
    Integer exitCode,
    String statusReason,
    String containerReason) {
  public FailedJob {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(jobId, "jobId");
  }

  /** From a ListJobs summary (epoch-millisecond times). */
  public static FailedJob of(JobSummary summary) {
    var container = summary.container();
    return new FailedJob(summary.jobName(), summary.jobId(), instant(summary.createdAt()), instant(summary.startedAt()),
        instant(summary.stoppedAt()), container == null ? null : container.exitCode(), summary.statusReason(),
        container == null ? null : container.reason());
  }

  private static Instant instant(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
  }

  public boolean started() {
    return startedAt != null;
  }

  /** See {@link FailureClass} for the rules. */
  public FailureClass failureClass() {
    return FailureClass.of(started(), exitCode, statusReason);
  }

  /**
   * When the job ended, for the time window: {@code stoppedAt}, or {@code createdAt} when Batch
   * recorded no stop (a job that failed or was cancelled before it started may have none); a job
   * with neither is never in a window.
   */
  public Instant endedAt() {
    return stoppedAt != null ? stoppedAt : createdAt;
  }

  /** The reason to show: Batch's status reason, and the container's when it adds something. */
  public String reason() {
    String status = statusReason == null ? "" : statusReason;
    if (containerReason == null || containerReason.isBlank() || status.contains(containerReason)) {
      return status;
    }
    return status.isEmpty() ? containerReason : status + " (" + containerReason + ")";
  }
}
