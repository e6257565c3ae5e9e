package io.observes.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An answer's body with its limits enforced ({@link HttpLimits}). {@code java.net.http} bounds the
 * wait for the headers only: a body that stops after one byte blocks its reader forever, and one
 * that never ends fills the heap. Here a watchdog closes the stream when a read has waited
 * {@code readTimeout} for a byte or the attempt passed {@code callTimeout}, and the reader gets a
 * {@link Stalled}; past {@code maxBodyBytes} it gets a {@link TooLarge}. A reader that is busy
 * elsewhere between reads is not stalled: only time spent blocked in a read counts as silence. The
 * first bytes are kept, to quote an answer that turns out not to be JSON.
 */
final class GuardedBody extends InputStream {
  /** Shared by every body: a check is a few comparisons, once per {@code readTimeout} per open body. */
  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
  private static final int HEAD_BYTES = 1024;

  /** The body stopped: no byte within the read timeout, or the call's deadline passed. Retried. */
  static final class Stalled extends IOException {
    Stalled(String message) {
      super(message);
    }
  }

  /** The body passed its limit. Not retried: the next answer would be as large. */
  static final class TooLarge extends IOException {
    TooLarge(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final HttpLimits limits;
  private final long deadline;
  private final byte[] head = new byte[HEAD_BYTES];
  private volatile long bytes;
  private volatile boolean reading;
  private volatile long readSince;
  private volatile String stalled;
  private volatile boolean failed;
  private volatile boolean done;
  private ScheduledFuture<?> check;

  private GuardedBody(InputStream in, HttpLimits limits, long startNanos) {
    this.in = in;
    this.limits = limits;
    this.deadline = startNanos + limits.callTimeout().toNanos();
  }

  /** {@code in} guarded, for an attempt that started at {@code startNanos} ({@link System#nanoTime}). */
  static GuardedBody watch(InputStream in, HttpLimits limits, long startNanos) {
    GuardedBody body = new GuardedBody(in, limits, startNanos);
    body.schedule(Math.min(limits.readTimeout().toNanos(), Math.max(0, body.deadline - System.nanoTime())));
    return body;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    failIfStalled(null);
    int n;
    readSince = System.nanoTime();
    reading = true;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      failed = true;
      failIfStalled(e);
      throw e;
    } finally {
      reading = false;
    }
    failIfStalled(null);
    if (n > 0) {
      long before = bytes;
      if (before < HEAD_BYTES) {
        System.arraycopy(b, off, head, (int) before, (int) Math.min(n, HEAD_BYTES - before));
      }
      bytes = before + n;
      if (bytes > limits.maxBodyBytes()) {
        close();
        throw new TooLarge("larger than the " + size(limits.maxBodyBytes()) + " allowed");
      }
    } else if (n < 0) {
      stopWatching();
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    stopWatching();
    in.close();
  }

  /** True when the stream itself failed (stalled, or the connection broke), as opposed to its reader. */
  boolean failed() {
    return failed || stalled != null;
  }

  /** The first bytes read (up to 1 KiB). */
  byte[] head() {
    return Arrays.copyOf(head, (int) Math.min(bytes, HEAD_BYTES));
  }

  private void failIfStalled(IOException cause) throws Stalled {
    String why = stalled;
    if (why != null) {
      failed = true;
      Stalled e = new Stalled(why);
      if (cause != null) {
        e.addSuppressed(cause);
      }
      throw e;
    }
  }

  private synchronized void schedule(long nanos) {
    if (!done) {
      check = WATCHDOG.schedule(this::check, Math.max(nanos, 1_000_000), TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void stopWatching() {
    done = true;
    if (check != null) {
      check.cancel(false);
    }
  }

  /** On the watchdog: stall the body, or look again when the next limit could be reached. */
  private void check() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    long idle = limits.readTimeout().toNanos();
    if (now - deadline >= 0) {
      stall("not complete within " + seconds(limits.callTimeout()) + " (" + size(bytes) + " read)");
    } else if (reading && now - readSince >= idle) {
      stall("no data for " + seconds(limits.readTimeout()) + " after " + size(bytes));
    } else {
      long nextIdle = reading ? readSince + idle - now : idle;
      schedule(Math.min(nextIdle, deadline - now));
    }
  }

  private void stall(String why) {
    stalled = "the answer stalled: " + why;
    stopWatching();
    try {
      // Wakes the reader blocked in read(): java.net.http's stream ends its wait when closed.
      in.close();
    } catch (IOException | RuntimeException e) {
      // the reader is woken either way, or finds the stall at its next read
    }
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  static String size(long bytes) {
    if (bytes >= HttpLimits.MIB && bytes % HttpLimits.MIB == 0) {
      return bytes / HttpLimits.MIB + " MiB";
    }
    return bytes == 1 ? "1 byte" : String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "observes-http-watchdog");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
