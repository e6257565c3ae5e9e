package io.observes.jobs.gitlab;

import java.time.Duration;

/**
 * Waits between retries. An interface so that tests record the waits asked for instead of sleeping;
 * production uses {@link #SLEEP}.
 */
@FunctionalInterface
public interface Pause {
  Pause SLEEP = duration -> Thread.sleep(duration.toMillis());

  void pause(Duration duration) throws InterruptedException;
}
