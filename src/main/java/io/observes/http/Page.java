package io.observes.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Objects;

/**
 * One page of a list: its number in the walk (1-based), where it came from, its headers (paging,
 * totals), its items and, for an object body, the fields beside the items ({@code info},
 * {@code paging}: cursors), and whether the body held the list at all ({@code listed}: an object
 * without its list field, or with null there, has no items but is not the same as an empty list,
 * which a source may tell apart).
 */
public record Page(int number, URI uri, HttpHeaders headers, List<JsonNode> items, ObjectNode rest, boolean listed) {
  public Page {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    items = List.copyOf(items);
    Objects.requireNonNull(rest, "rest");
  }

  /** A page whose body held its list. */
  public Page(int number, URI uri, HttpHeaders headers, List<JsonNode> items, ObjectNode rest) {
    this(number, uri, headers, items, rest, true);
  }

  public java.util.Optional<String> header(String name) {
    return headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty());
  }
}
