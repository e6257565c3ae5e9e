package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.NextPage;
import io.observes.http.Page;
import io.observes.http.PageBudget;
import io.observes.http.PageWalk;
import io.observes.pipeline.ReadProgress;
import java.net.URI;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items of one {@code updated_at} interval, oldest first, over GitLab's offset pages. Offset
 * pages shift when an item of the interval is updated during the walk (it leaves the interval, and
 * the item after a page boundary slides onto a page already read): GitLab's {@code X-Total} tells,
 * so when the total at the end differs from the total at the start the interval is walked again
 * from its first page (repeats are dropped by key), at most {@link #PASSES} times. GitLab omits
 * {@code X-Total} beyond 10,000 items; such an interval is walked once.
 */
final class IntervalWalk implements Iterator<JsonNode> {
  static final int PASSES = 3;
  private static final Logger LOG = LoggerFactory.getLogger(IntervalWalk.class);

  private final ApiClient api;
  private final URI first;
  private final String what;
  private final PageBudget budget;
  private final ReadProgress progress;
  private PageWalk walk;
  private int pass;
  private Optional<String> firstTotal = Optional.empty();
  private boolean newPass;

  IntervalWalk(ApiClient api, URI first, String what, PageBudget budget, ReadProgress progress) {
    this.api = api;
    this.first = first;
    this.what = what;
    this.budget = budget;
    this.progress = progress;
    start();
  }

  private void start() {
    pass++;
    newPass = true;
    firstTotal = Optional.empty();
    walk = new PageWalk(api, first, what, null, NextPage.headers("page"), this::onPage);
  }

  private boolean onPage(Page page) {
    progress.page();
    if (page.number() == 1) {
      firstTotal = page.header("X-Total");
    }
    return budget.spend();
  }

  /** True when the walk that is under way started over (its items begin again from the interval's start). */
  boolean startedOver() {
    boolean started = newPass;
    newPass = false;
    return started && pass > 1;
  }

  @Override
  public boolean hasNext() {
    while (!walk.hasNext()) {
      if (!walk.complete() || pass == PASSES) {
        return false;
      }
      Optional<String> lastTotal = walk.lastPage().flatMap(p -> p.header("X-Total"));
      if (firstTotal.isEmpty() || lastTotal.isEmpty() || firstTotal.equals(lastTotal)) {
        return false;
      }
      LOG.warn("{}: GitLab's X-Total went from {} to {} during the walk, so offset pages shifted; walking the interval "
          + "again (pass {} of {})", what, firstTotal.get(), lastTotal.get(), pass + 1, PASSES);
      start();
    }
    return true;
  }

  @Override
  public JsonNode next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return walk.next();
  }

  /** True when the interval was walked to its last page (not stopped by the page budget). */
  boolean complete() {
    return walk.complete();
  }
}
