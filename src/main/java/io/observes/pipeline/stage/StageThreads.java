package io.observes.pipeline.stage;

import java.time.Duration;

/** How the stage step's own threads (compressor, part uploader) are stopped when a stage fails. */
final class StageThreads {
  /**
   * How long a failed stage waits for a stopped thread. An upload in hand may not notice the interrupt
   * until its HTTP call returns; past this the stage reports its error anyway and sweeps what it can.
   */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private StageThreads() {}

  /** Interrupts {@code thread} and waits until it has ended, at most {@link #STOP_WAIT}. */
  static void stop(Thread thread) {
    thread.interrupt();
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
