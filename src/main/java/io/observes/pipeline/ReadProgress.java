package io.observes.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a source has read, for the progress line of long work: records, pages (requests), and
 * where it is now ("project 4711, jobs, 2026-03-01T00:00Z..2026-03-02T00:00Z"). Thread-safe.
 */
public final class ReadProgress {
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong pages = new AtomicLong();
  private volatile String position = "";

  public void record() {
    records.incrementAndGet();
  }

  public void records(long n) {
    records.addAndGet(n);
  }

  public void page() {
    pages.incrementAndGet();
  }

  public void at(String where) {
    position = where == null ? "" : where;
  }

  public long records() {
    return records.get();
  }

  public long pages() {
    return pages.get();
  }

  /** Records and requests together: a number that grows while the source makes progress (the stall watch's). */
  public long activity() {
    return records.get() + pages.get();
  }

  public String position() {
    return position;
  }
}
