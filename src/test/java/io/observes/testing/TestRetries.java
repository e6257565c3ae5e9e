package io.observes.testing;

import io.observes.http.RetrySettings;
import java.time.Duration;

/** Retries for tests: the production shape (5 attempts, backoff, server waits honoured) in milliseconds. */
public final class TestRetries {
  /** Backoff of at most 4 ms; a server's Retry-After is honoured up to 50 ms. */
  public static final RetrySettings FAST = new RetrySettings(5, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(50));

  private TestRetries() {}
}
