package io.observes.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a list says where its next page is; empty: the page was the last. */
@FunctionalInterface
public interface NextPage {
  Optional<URI> after(Page page);

  /**
   * GitLab's offset pages: {@code X-Next-Page} (empty on the last page), else the {@code Link}
   * header's {@code rel="next"} (the only one GitLab sends past 10,000 rows, and keyset paging's).
   * An empty page ends the walk whatever the headers say.
   */
  static NextPage headers(String pageParameter) {
    return page -> {
      if (page.items().isEmpty()) {
        return Optional.empty();
      }
      Optional<String> next = page.header("X-Next-Page");
      if (next.isPresent()) {
        try {
          int number = Integer.parseInt(next.get());
          int current = Query.value(page.uri(), pageParameter).map(Integer::parseInt).orElse(1);
          if (number <= current) {
            throw new ApiException(0, "X-Next-Page " + number + " does not follow page " + current + " of "
                + page.uri().getRawPath());
          }
          return Optional.of(Query.with(page.uri(), pageParameter, Integer.toString(number)));
        } catch (NumberFormatException e) {
          throw new ApiException(0, "X-Next-Page '" + ApiText.quote(next.get()) + "' of " + page.uri().getRawPath()
              + " is not a page number");
        }
      }
      if (page.headers().firstValue("X-Next-Page").isPresent()) {
        return Optional.empty();
      }
      return link(page);
    };
  }

  /** RFC 8288 {@code Link: <url>; rel="next"}. */
  static NextPage link() {
    return page -> page.items().isEmpty() ? Optional.empty() : link(page);
  }

  /** {@code limit}/{@code page} lists (Checkly v1): a full page may have a next one, a short one is the last. */
  static NextPage whileFull(String pageParameter, int limit) {
    return page -> {
      if (page.items().size() < limit) {
        return Optional.empty();
      }
      int current = Query.value(page.uri(), pageParameter).map(Integer::parseInt).orElse(1);
      return Optional.of(Query.with(page.uri(), pageParameter, Integer.toString(current + 1)));
    };
  }

  /**
   * A cursor beside the items ({@code {"entries": [...], "nextId": "..."}}, Checkly's v2 lists):
   * the next page is this page's URL with {@code parameter} set to the cursor, so it asks the same
   * query from there; a null or absent cursor ends the list (an empty page with a cursor does not).
   * A cursor that is not a non-empty string is the service's error, and one already followed leads
   * back to a page read before, which {@link PageWalk} refuses as a loop.
   */
  static NextPage cursor(String field, String parameter) {
    return page -> {
      JsonNode cursor = page.rest().path(field);
      if (cursor.isMissingNode() || cursor.isNull()) {
        return Optional.empty();
      }
      if (!cursor.isTextual() || cursor.asText().isEmpty()) {
        throw new ApiException(0, "the cursor '" + field + "' of " + page.uri().getRawPath() + " is not a non-empty string: "
            + ApiText.quote(cursor.toString()));
      }
      return Optional.of(Query.with(page.uri(), parameter, cursor.asText()));
    };
  }

  /**
   * The {@code rel="next"} target as written, possibly relative: the walk resolves it against the
   * page's URL and refuses another origin ({@link PageWalk}).
   */
  private static Optional<URI> link(Page page) {
    Pattern next = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
    for (String header : page.headers().allValues("Link")) {
      Matcher m = next.matcher(header);
      if (m.find()) {
        try {
          return Optional.of(new URI(m.group(1).strip()));
        } catch (URISyntaxException e) {
          throw new ApiException(0, "the Link to the next page of " + page.uri().getRawPath() + " is not a URL: '"
              + ApiText.quote(m.group(1)) + "'");
        }
      }
    }
    return Optional.empty();
  }
}
