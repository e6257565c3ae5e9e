package io.observes.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The items of a paged list, fetched a page at a time as they are consumed. After each page the
 * {@link Listener} hears of it (progress, a page budget) and may end the walk there; the walk says
 * whether it reached the list's end ({@link #complete}), which is what a state may record. A next
 * page is followed only on the API's origin, only if the walk has not read it yet, and only up to
 * {@link HttpLimits#maxPages}: a list that loops or never ends is the service's error, not a hang.
 */
public final class PageWalk implements Iterator<JsonNode> {
  /** Hears of every page; returns false to stop after it (e.g. {@code --max-pages} reached). */
  @FunctionalInterface
  public interface Listener {
    boolean onPage(Page page);
  }

  private final ApiClient client;
  private final String what;
  private final String itemsField;
  private final NextPage next;
  private final Listener listener;
  private URI uri;
  private int number;
  private Iterator<JsonNode> items = List.<JsonNode>of().iterator();
  private boolean complete;
  private boolean stopped;
  private Page last;
  /**
   * The pages fetched, by a 128-bit hash of their URL (a fraction of the URL's memory, and no two
   * URLs of a walk share one in practice), with their number: a next page already read is a loop.
   */
  private final Map<UUID, Integer> seen = new HashMap<>();

  /**
   * @param first the first page's URL
   * @param itemsField the array's field for object bodies, null for bare arrays
   */
  public PageWalk(ApiClient client, URI first, String what, String itemsField, NextPage next, Listener listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.uri = Objects.requireNonNull(first, "first");
    this.what = Objects.requireNonNull(what, "what");
    this.itemsField = itemsField;
    this.next = Objects.requireNonNull(next, "next");
    this.listener = Objects.requireNonNull(listener, "listener");
    seen.put(key(first), 1);
  }

  private static UUID key(URI uri) {
    return UUID.nameUUIDFromBytes(uri.normalize().toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean hasNext() {
    while (!items.hasNext() && uri != null) {
      fetch();
    }
    return items.hasNext();
  }

  @Override
  public JsonNode next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return items.next();
  }

  /** The items as a lazy stream: pages are fetched as it is consumed. */
  public Stream<JsonNode> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** True once the last page of the list was fetched (not merely the last one a budget allowed). */
  public boolean complete() {
    return complete;
  }

  /** True when the listener ended the walk before the list's end. */
  public boolean stopped() {
    return stopped;
  }

  /** The page fetched last, if any. */
  public Optional<Page> lastPage() {
    return Optional.ofNullable(last);
  }

  private void fetch() {
    number++;
    String call = what + " (page " + number + ")";
    int n = number;
    URI at = uri;
    Page page = client.exchange("GET", at, null, call, response -> {
      JsonItems.Items read = JsonItems.read(response.body(), itemsField);
      return new Page(n, at, response.headers(), read.items(), read.rest(), read.listed());
    });
    last = page;
    items = page.items().iterator();
    Optional<URI> following = following(page, call);
    boolean goOn = listener.onPage(page);
    if (following.isEmpty()) {
      complete = true;
      uri = null;
    } else if (!goOn) {
      stopped = true;
      uri = null;
    } else {
      uri = following.get();
    }
  }

  /**
   * Where the next page is, resolved against this page's URL (links may be relative) and refused
   * unless it is on the API's origin: a list must not send the walk, and the credentials with it,
   * to a host the API's own answer names. A link that cannot be followed is the service's error.
   */
  private Optional<URI> following(Page page, String call) {
    ApiSettings settings = client.settings();
    Optional<URI> after;
    try {
      after = next.after(page).map(page.uri()::resolve);
    } catch (ApiException | IllegalArgumentException e) {
      throw new ApiException(0, settings.service() + "'s paging of " + call + " cannot be followed: "
          + client.quote(e.getMessage()), e);
    }
    if (after.isPresent() && !settings.origin().holds(after.get())) {
      throw new ApiException(0, settings.service() + " answered " + call + " with a next page on "
          + client.quote(Origin.describe(after.get())) + ", not on the API's origin " + settings.origin()
          + ": refused, the credentials go nowhere else");
    }
    if (after.isPresent()) {
      Integer before = seen.putIfAbsent(key(after.get()), page.number() + 1);
      if (before != null) {
        throw new ApiException(0, settings.service() + "'s paging of " + call + " leads back to page " + before
            + ", already read: a loop, not a list");
      }
      int most = settings.limits().maxPages();
      if (page.number() >= most) {
        throw new ApiException(0, settings.service() + "'s paging of " + call + " goes on past " + most + " pages, the most a "
            + "walk may read (" + HttpLimits.variable(HttpLimits.MAX_PAGES) + ", or per source OBSERVES_<SOURCE>_HTTP_"
            + HttpLimits.MAX_PAGES + "): a paging fault, not a list");
      }
    }
    return after;
  }
}
