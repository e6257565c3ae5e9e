package io.observes.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Whether a phase's work still makes progress: its work counts what it does (records read and
 * staged, requests answered) in a number that only grows, and the phase's heartbeat samples it.
 * When the number has not moved for longer than the limit (by the run's clock), the work is
 * stopped: its thread interrupted (waits on the source, HTTP calls and the read-ahead queue end on
 * it), and the phase fails saying so instead of beating forever.
 *
 * <p>The heartbeat thread calls {@link #stalled}, records the failure, then {@link #interrupt}s the
 * worker; the worker calls {@link #finish} once its work returned or threw. They decide under one
 * lock, so the worker is interrupted only while it still works, and its interrupt is cleared before
 * it records the failure (the heartbeat's own record is done by then, never cut by the worker's end).
 */
final class StallWatch {
  private final LongSupplier progress;
  private final Duration limit;
  private final Clock clock;
  private final Thread worker;
  private long seen;
  private Instant lastProgress;
  private boolean done;
  private boolean stopped;

  StallWatch(LongSupplier progress, Duration limit, Clock clock, Thread worker) {
    this.progress = Objects.requireNonNull(progress, "progress");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.seen = progress.getAsLong();
    this.lastProgress = clock.instant();
  }

  /** At a heartbeat: true (once) when no progress was reported for longer than the limit: the work is to stop. */
  synchronized boolean stalled() {
    long now = progress.getAsLong();
    Instant at = clock.instant();
    if (now != seen) {
      seen = now;
      lastProgress = at;
      return false;
    }
    if (done || stopped || Duration.between(lastProgress, at).compareTo(limit) <= 0) {
      return false;
    }
    stopped = true;
    return true;
  }

  /** Interrupts the worker, unless its work is over already. */
  synchronized void interrupt() {
    if (!done) {
      worker.interrupt();
    }
  }

  /** On the worker's thread, its work over: whether it was stopped for stalling (its interrupt then cleared). */
  synchronized boolean finish() {
    done = true;
    if (stopped) {
      Thread.interrupted();
    }
    return stopped;
  }

  /** What the phase failed with. */
  synchronized String message(String what) {
    return what + " made no progress for " + limit.toSeconds() + " s (the limit, OBSERVES_STALL_SECONDS): nothing read, "
        + "staged or answered since " + lastProgress + ", so it was stopped. Run it again; if the source is slow rather "
        + "than stuck, raise OBSERVES_STALL_SECONDS.";
  }
}
