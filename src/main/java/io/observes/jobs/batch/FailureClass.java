package io.observes.jobs.batch;

import java.util.Locale;

/**
 * Why a job that AWS Batch reports as {@code FAILED} did not succeed. Batch has no separate status
 * for cancelled jobs: {@code CancelJob} and {@code TerminateJob} end a job as FAILED too, so the class
 * is read from the job's summary, by these rules, in this order:
 *
 * <ol>
 *   <li>{@link #CANCELLED}: the status reason mentions "cancel" (an explicit cancellation, whether
 *       or not the job had started), or it mentions "terminat" and the job never started (a
 *       {@code TerminateJob} of a queued job is a cancellation: nothing ran).
 *   <li>{@link #NEVER_STARTED}: no {@code startedAt} for any other reason, e.g. "Dependent Job
 *       failed", a job definition or image that cannot be used, a queue or compute environment that
 *       was disabled.
 *   <li>{@link #FAILED_WITH_EXIT_CODE}: it started and its container ended with an exit code (the
 *       program failed, or was killed by a signal: 137, 143).
 *   <li>{@link #FAILED_WITHOUT_EXIT_CODE}: it started but no exit code was recorded: the host was
 *       terminated (Spot reclaim, scale-in), the agent lost the container, or the job is a
 *       multi-node parent whose summary carries no container.
 * </ol>
 *
 * A started job whose reason says "terminated" without "cancel" (e.g. "Host EC2 (instance i-0ab)
 * terminated.") is a failure: the work was lost, not withdrawn.
 */
public enum FailureClass {
  FAILED_WITH_EXIT_CODE,
  FAILED_WITHOUT_EXIT_CODE,
  CANCELLED,
  NEVER_STARTED;

  /** Whether this class is a failure to alert on; a cancellation was someone's decision, not a fault. */
  public boolean isFailure() {
    return this != CANCELLED;
  }

  /** The class of a FAILED job from its summary's facts; see the rules above. */
  static FailureClass of(boolean started, Integer exitCode, String statusReason) {
    String reason = statusReason == null ? "" : statusReason.toLowerCase(Locale.ROOT);
    if (reason.contains("cancel") || (!started && reason.contains("terminat"))) {
      return CANCELLED;
    }
    if (!started) {
      return NEVER_STARTED;
    }
    return exitCode != null ? FAILED_WITH_EXIT_CODE : FAILED_WITHOUT_EXIT_CODE;
  }
}
