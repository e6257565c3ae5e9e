package io.observes.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Query strings: parameters set or read on an already-encoded URI, values encoded once. */
public final class Query {
  private Query() {}

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code uri} with {@code name=value}, replacing every earlier value of {@code name}. */
  public static URI with(URI uri, String name, String value) {
    String query = uri.getRawQuery();
    List<String> kept = new ArrayList<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!key.equals(encode(name))) {
          kept.add(pair);
        }
      }
    }
    kept.add(encode(name) + "=" + encode(value));
    String base = uri.toString();
    int at = base.indexOf('?');
    return URI.create((at < 0 ? base : base.substring(0, at)) + "?" + String.join("&", kept));
  }

  /** The first value of {@code name} in {@code uri}'s query, decoded. */
  public static Optional<String> value(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(encode(name))) {
        return Optional.of(java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
