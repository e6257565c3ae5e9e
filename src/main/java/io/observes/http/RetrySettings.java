package io.observes.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How often an API call that was throttled (429), failed on the API's side (5xx) or could not
 * connect is tried, and how long to wait in between: exponential backoff with jitter (so that jobs
 * failing together do not retry in lockstep) unless the API says when to come back
 * ({@code Retry-After}, {@code RateLimit-Reset}), which is honoured up to {@code maxServerWait}.
 *
 * @param maxAttempts attempts in all, the first included
 * @param baseDelay the wait after the first failed attempt, before jitter
 * @param maxDelay the longest backoff
 * @param maxServerWait the longest wait an API's own header can ask for; a longer one is cut to this
 */
public record RetrySettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxServerWait) {
  /** 6 attempts, waits of about 1, 2, 4, 8, 16 s; an API may ask for up to 5 minutes. */
  public static final RetrySettings DEFAULT =
      new RetrySettings(6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));

  public RetrySettings {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxServerWait, "maxServerWait");
    if (maxAttempts < 1 || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxServerWait.isNegative()) {
      throw new IllegalArgumentException("need maxAttempts >= 1, 0 <= baseDelay <= maxDelay and maxServerWait >= 0");
    }
  }

  /**
   * The backoff after attempt {@code failedAttempt} (1-based) failed: {@code d = min(maxDelay,
   * baseDelay * 2^(failedAttempt-1))}, half of it fixed and half scaled by {@code randomFraction}
   * in [0, 1) ("equal jitter": never zero, never over d).
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

  /** What the API asked for, never more than {@link #maxServerWait}. */
  public Duration serverWait(Duration asked) {
    return asked.compareTo(maxServerWait) > 0 ? maxServerWait : asked;
  }
}
