package io.observes.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A value (an id an API gave, a project path) as exactly one segment of a URL path, whatever it
 * holds: percent-encoded as UTF-8 by the JDK's encoder, so {@code /}, {@code ?}, {@code #},
 * {@code %}, control characters and non-ASCII cannot split, end or re-encode the path ({@code a/b}
 * is {@code a%2Fb}, {@code %2e%2e} is {@code %252e%252e}). {@code .} and {@code ..} are refused:
 * they are path steps of their own, and their encoded forms are undone by URL normalisation.
 * (Guava's escapers are on the classpath only through DynamoDB Local, so not used.)
 */
public final class PathSegment {
  private PathSegment() {}

  /** {@code value} as one path segment; {@code what} names it if it cannot be one. */
  public static String encode(String value, String what) {
    if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(what + " cannot be one segment of a URL path: "
          + (value == null ? "none" : value.isEmpty() ? "it is empty" : "'" + value + "' is a relative path step"));
    }
    // Form encoding differs from a path's only in writing a space as '+' ('+' itself is %2B).
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
