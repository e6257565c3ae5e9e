package io.observes.cli;

import io.observes.pipeline.ReadProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows long work moving: a progress line rewritten every second on a terminal, a log line every
 * 30 seconds otherwise (AWS Batch, CloudWatch).
 */
final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final String what;
  private final ReadProgress read;
  private final boolean terminal;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;

  Progress(String what, ReadProgress read) {
    this.what = what;
    this.read = read;
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
    long n = read.records();
    String at = read.position();
    return String.format(Locale.ROOT, "%s: %,d records, %,.0f records/s, %,d pages, %.0f s%s", what, n, n / seconds,
        read.pages(), seconds, at.isEmpty() ? "" : "; at " + at);
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
