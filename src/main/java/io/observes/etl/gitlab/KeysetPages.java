package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.NextPage;
import io.observes.http.PageWalk;
import java.net.URI;
import java.util.Iterator;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GitLab list in keyset pages, for the lists GitLab offers them for (docs.gitlab.com/api/rest,
 * "Keyset-based pagination": project issues since GitLab 18.3, project jobs): each next page is
 * the {@code Link rel="next"}, with a cursor of the last object's sort keys, so pages do not shift
 * when objects come or go during the walk, and the offset limit (50,000 objects by default) does not
 * apply. GitLab answers 405 to a keyset request for a list it does not offer them for (an older
 * instance): then the list is walked over offset pages, as before. Any later error is the walk's.
 */
public final class KeysetPages implements Iterator<JsonNode> {
  private static final Logger LOG = LoggerFactory.getLogger(KeysetPages.class);

  private final ApiClient api;
  private final URI offset;
  private final String what;
  private final PageWalk.Listener listener;
  private PageWalk walk;
  private boolean started;

  /**
   * @param keyset the first keyset page ({@code pagination=keyset}, {@code order_by}, {@code sort})
   * @param offset the first offset page of the same list, in the same order
   */
  public KeysetPages(ApiClient api, URI keyset, URI offset, String what, PageWalk.Listener listener) {
    this.api = Objects.requireNonNull(api, "api");
    this.offset = Objects.requireNonNull(offset, "offset");
    this.what = Objects.requireNonNull(what, "what");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.walk = new PageWalk(api, Objects.requireNonNull(keyset, "keyset"), what, null, NextPage.headers("page"), listener);
  }

  @Override
  public boolean hasNext() {
    if (started) {
      return walk.hasNext();
    }
    started = true;
    try {
      return walk.hasNext();
    } catch (ApiException e) {
      if (e.status() != 405) {
        throw e;
      }
      LOG.warn("{}: GitLab does not serve this list in keyset pages here ({}); walking its offset pages", what, e.getMessage());
      walk = new PageWalk(api, offset, what, null, NextPage.headers("page"), listener);
      return walk.hasNext();
    }
  }

  @Override
  public JsonNode next() {
    hasNext();
    return walk.next();
  }
}
