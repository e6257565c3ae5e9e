package io.observes.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which run-log rows to read: of one job or all, started since a time, of one status
 * ({@code SUCCEEDED}, {@code FAILED}, {@code RUNNING}, {@code LOST}), the newest {@code limit}.
 * A RUNNING row whose heartbeat is older than {@code lostAfter} is read as LOST.
 */
public record RunQuery(Optional<String> job, Optional<Instant> since, Optional<String> status, int limit, Duration lostAfter) {
  /** A live run writes a heartbeat every minute; three missed ones mean it is gone. */
  public static final Duration LOST_AFTER = Duration.ofMinutes(3);

  public RunQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("the limit must be at least 1");
    }
  }

  public static RunQuery newest(String job, int limit) {
    return new RunQuery(Optional.ofNullable(job), Optional.empty(), Optional.empty(), limit, LOST_AFTER);
  }
}
