package io.observes.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many list pages one run may fetch ({@code --max-pages}), shared by all its walks: a walk that
 * spends the last one stops after that page, and the state records exactly how far it got.
 */
public final class PageBudget {
  private final AtomicLong left;

  private PageBudget(long pages) {
    this.left = new AtomicLong(pages);
  }

  public static PageBudget unlimited() {
    return new PageBudget(Long.MAX_VALUE);
  }

  public static PageBudget of(long pages) {
    if (pages < 1) {
      throw new IllegalArgumentException("a page budget is at least one page, was " + pages);
    }
    return new PageBudget(pages);
  }

  /** Spends one page; true while pages are left after it. */
  public boolean spend() {
    return left.updateAndGet(n -> n == Long.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
  }

  public boolean exhausted() {
    return left.get() == 0;
  }
}
