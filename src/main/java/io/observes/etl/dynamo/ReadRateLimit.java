package io.observes.etl.dynamo;

import java.util.function.LongSupplier;

/**
 * Keeps a segment's reads at or under {@code unitsPerSecond} read capacity units on average, so a
 * scan cannot starve the production table: after each page, waits until the units consumed so far
 * are within budget.
 */
final class ReadRateLimit {
  /** Waits the given nanoseconds (Thread.sleep in production). */
  interface Pause {
    void nanos(long nanos) throws InterruptedException;
  }

  private final double unitsPerSecond;
  private final LongSupplier clock;
  private final Pause pause;
  private final long start;
  private double consumed;

  ReadRateLimit(double unitsPerSecond, LongSupplier nanoClock, Pause pause) {
    if (!(unitsPerSecond > 0)) {
      throw new IllegalArgumentException("the read-rate limit must be positive, was " + unitsPerSecond);
    }
    this.unitsPerSecond = unitsPerSecond;
    this.clock = nanoClock;
    this.pause = pause;
    this.start = nanoClock.getAsLong();
  }

  static ReadRateLimit realTime(double unitsPerSecond) {
    return new ReadRateLimit(unitsPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  void consumed(double units) {
    consumed += units;
    long due = start + (long) (consumed / unitsPerSecond * 1e9);
    long wait = due - clock.getAsLong();
    if (wait > 0) {
      try {
        pause.nanos(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while pacing the scan", e);
      }
    }
  }
}
