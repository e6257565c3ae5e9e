package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.ApiText;
import io.observes.http.NextPage;
import io.observes.http.Page;
import io.observes.http.PageBudget;
import io.observes.http.PageWalk;
import io.observes.pipeline.ReadProgress;
import java.net.URI;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects of one list updated in {@code (from, to]}, oldest first, over GitLab's offset pages,
 * walked in {@link Window}s GitLab counts. GitLab sends {@code X-Total} only for lists of at most
 * 10,000 objects, and merge requests and pipelines have no keyset paging, so a window's first page
 * without it is not walked: the window is halved (down to {@link Window#FINEST}, then the walk fails
 * naming it). That first page is not charged to the page budget: it only sized the window.
 *
 * <p>Offset pages shift when an object of a window is updated during its walk (it leaves the
 * window, and the object after a page boundary slides onto a page already read). A window whose
 * {@code X-Total} on its last page differs from its first is walked again from its first page
 * (repeats are dropped by key), at most {@link #PASSES} times; then the walk ends before it.
 *
 * <p>{@link #reached} is how far the state may advance once every object was consumed: the end of
 * the last window walked whole with an unchanged count; or, when the page budget stopped the walk
 * inside a window whose count had not changed, the {@code updated_at} of the last object read
 * (GitLab's bounds are inclusive: the next walk reads that object again).
 */
final class WindowedWalk implements Iterator<JsonNode> {
  static final int PASSES = 3;
  private static final Logger LOG = LoggerFactory.getLogger(WindowedWalk.class);

  private final ApiClient api;
  private final Function<Window, URI> firstPage;
  private final String what;
  private final Instant to;
  private final PageBudget budget;
  private final ReadProgress progress;
  private Window window;
  private PageWalk walk;
  private String call;
  private int pass;
  private Optional<String> firstTotal = Optional.empty();
  private boolean uncounted;
  private Instant lastRead;
  private Instant verified;
  private Instant reached;
  private boolean ended;

  /**
   * @param firstPage the URL of a window's first page
   * @param what the list in words ("merge_requests/merged of project 4711"), for messages
   */
  WindowedWalk(ApiClient api, Instant from, Instant to, Function<Window, URI> firstPage, String what, PageBudget budget,
      ReadProgress progress) {
    this.api = Objects.requireNonNull(api, "api");
    this.to = Objects.requireNonNull(to, "to");
    this.firstPage = Objects.requireNonNull(firstPage, "firstPage");
    this.what = Objects.requireNonNull(what, "what");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.window = Window.whole(from, to);
    start(1);
  }

  private void start(int number) {
    pass = number;
    uncounted = false;
    firstTotal = Optional.empty();
    lastRead = null;
    call = "listing the " + what + " updated in " + window;
    progress.at(what + " " + window);
    walk = new PageWalk(api, firstPage.apply(window), call, null, NextPage.headers("page"), this::onPage);
  }

  private boolean onPage(Page page) {
    progress.page();
    if (page.number() == 1) {
      firstTotal = page.header("X-Total");
      if (firstTotal.isEmpty()) {
        uncounted = true;
        if (window.floor() == null) {
          if (page.items().isEmpty()) {
            throw new ApiException(0, "GitLab answered " + call + " (page 1) with neither objects nor an X-Total");
          }
          window = window.spanFrom(GitLabStreams.updatedAt(page.items().get(0), call));
        }
        return false;
      }
      count(firstTotal.get());
    }
    return budget.spend();
  }

  @Override
  public boolean hasNext() {
    while (!ended) {
      boolean more = walk.hasNext();
      if (uncounted) {
        halve();
      } else if (more) {
        return true;
      } else if (walk.stopped()) {
        end(lastRead != null && sameTotal() ? lastRead : verified);
      } else if (!sameTotal()) {
        String last = walk.lastPage().flatMap(p -> p.header("X-Total")).orElse("none");
        if (pass == PASSES) {
          LOG.warn("{}: GitLab's X-Total went from {} to {} during pass {} of {}: objects keep changing under the walk; the "
              + "state stops before this window and the next run walks it again", call, firstTotal.get(), last, pass, PASSES);
          end(verified);
        } else {
          LOG.warn("{}: GitLab's X-Total went from {} to {} during the walk, so offset pages shifted; walking the window "
              + "again (pass {} of {})", call, firstTotal.get(), last, pass + 1, PASSES);
          start(pass + 1);
        }
      } else {
        verified = window.before();
        Optional<Window> next = window.next(count(firstTotal.get()), to);
        if (next.isEmpty() || budget.exhausted()) {
          end(verified);
        } else {
          window = next.get();
          start(1);
        }
      }
    }
    return false;
  }

  @Override
  public JsonNode next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    JsonNode item = walk.next();
    lastRead = GitLabStreams.updatedAt(item, call);
    return item;
  }

  /** Where the state may advance to once every object was consumed; empty while walking, or when nothing was checked. */
  Optional<Instant> reached() {
    return Optional.ofNullable(reached);
  }

  private void halve() {
    if (window.finest()) {
      throw new ApiException(0, "GitLab lists more than 10,000 " + what + " updated in " + window + ", within one second: "
          + "it does not count such a list (no X-Total), so the walk cannot tell when its pages shift, and a window cannot "
          + "be narrower than a second. Nothing was recorded past " + (verified == null ? "the start of the walk" : verified)
          + "; such a burst comes from a bulk change (an import, a mass edit), so report it to the ETL's maintainers.");
    }
    Window half = window.firstHalf();
    LOG.info("{}: GitLab does not count it (more than 10,000 objects); walking {} first", call, half);
    window = half;
    start(1);
  }

  private boolean sameTotal() {
    return walk.lastPage().flatMap(p -> p.header("X-Total")).equals(firstTotal);
  }

  private long count(String total) {
    try {
      long n = Long.parseLong(total);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ApiException(0, "GitLab answered " + call + " with X-Total '" + ApiText.quote(total) + "', not a count");
  }

  private void end(Instant at) {
    reached = at;
    ended = true;
  }
}
