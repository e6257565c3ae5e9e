package io.observes.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a request goes, as browsers judge it (RFC 6454): scheme, host and port, the default port
 * written out, case folded. Credentials of an API go only to its base URL's origin; a link, a cursor
 * or a redirect pointing anywhere else gets nothing.
 */
public record Origin(String scheme, String host, int port) {
  /** The origin of an absolute http(s) URL with a host; empty for anything else (relative, opaque, other schemes). */
  public static Optional<Origin> of(URI uri) {
    if (uri == null || uri.isOpaque() || uri.getScheme() == null || uri.getHost() == null) {
      return Optional.empty();
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port == -1) {
      port = switch (scheme) {
        case "http" -> 80;
        case "https" -> 443;
        default -> -1;
      };
    }
    if (port == -1) {
      return Optional.empty();
    }
    return Optional.of(new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port));
  }

  /** True when {@code uri} is an absolute URL of this origin. */
  public boolean holds(URI uri) {
    return of(uri).filter(this::equals).isPresent();
  }

  /**
   * How a message names where {@code uri} points: its origin, never its path or query (which may
   * carry anything); "a URL without a host" when it has none.
   */
  public static String describe(URI uri) {
    return of(uri).map(Origin::toString).orElse("a URL without an http(s) origin");
  }

  @Override
  public String toString() {
    return scheme + "://" + host + ":" + port;
  }
}
