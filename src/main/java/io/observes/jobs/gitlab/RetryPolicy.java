package io.observes.jobs.gitlab;

import java.time.Duration;
import java.util.Objects;

/**
 * How often to try a GitLab call that was throttled (429), failed on GitLab's side (5xx) or could not
 * connect, and how long to wait in between when GitLab does not say (Retry-After): exponential
 * backoff with jitter, so that jobs that failed together do not retry together in lockstep.
 *
 * @param maxAttempts attempts in all, the first included
 * @param baseDelay the wait after the first failed attempt, before jitter
 * @param maxDelay the longest wait, before jitter
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  /** 5 attempts, waits of about 1, 2, 4, 8 s: rides out a GitLab deploy or a rate-limit window. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

  public RetryPolicy {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1 || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("need maxAttempts >= 1 and 0 <= baseDelay <= maxDelay");
    }
  }

  /**
   * The wait after attempt {@code failedAttempt} (1-based) failed: {@code d = min(maxDelay, baseDelay * 2^(failedAttempt-1))},
   * half of it fixed and half scaled by {@code randomFraction} in [0, 1) ("equal jitter": never zero, never over d).
   */
  public Duration backoff(int failedAttempt, double randomFraction) {
    if (failedAttempt < 1 || randomFraction < 0 || randomFraction >= 1) {
      throw new IllegalArgumentException("failedAttempt must be >= 1 and randomFraction in [0, 1)");
    }
    long full = baseDelay.toMillis();
    for (int i = 1; i < failedAttempt && full < maxDelay.toMillis(); i++) {
      full *= 2;
    }
    full = Math.min(full, maxDelay.toMillis());
    long half = full / 2;
    return Duration.ofMillis(full - half + (long) (half * randomFraction));
  }
}
