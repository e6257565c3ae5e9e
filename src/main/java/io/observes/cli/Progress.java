package io.observes.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows long work moving: a progress line rewritten every second on a terminal, a log line every
 * 30 seconds otherwise (AWS Batch, CloudWatch).
 */
final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final String what;
  private final LongSupplier items;
  private final LongSupplier pages;
  private final boolean terminal;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;

  Progress(String what, LongSupplier items, LongSupplier pages) {
    this.what = what;
    this.items = items;
    this.pages = pages;
    this.terminal = System.console() != null;
    this.out = System.err;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long every = terminal ? 1 : 30;
    timer.scheduleAtFixedRate(this::report, every, every, TimeUnit.SECONDS);
  }

  String line() {
    double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-3);
    long n = items.getAsLong();
    return String.format(Locale.ROOT, "%s: %,d items, %,.0f items/s, %,d pages, %.0f s", what, n, n / seconds,
        pages.getAsLong(), seconds);
  }

  private void report() {
    if (terminal) {
      out.print("\r" + line());
      out.flush();
    } else {
      LOG.info(line());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (terminal) {
      out.print("\r" + line() + System.lineSeparator());
    } else {
      LOG.info(line());
    }
  }
}
