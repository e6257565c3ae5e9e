package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How FakeGitLab pages a list, as GitLab's REST docs (docs.gitlab.com/api/rest, "Pagination") and
 * its source say. Offset pages ({@code page}, {@code per_page} up to 100) carry X-Page, X-Per-Page,
 * X-Next-Page, X-Prev-Page and Link; X-Total, X-Total-Pages and {@code rel="last"} only while the
 * list holds at most 10,000 objects. A page past the instance's offset limit ({@code page * per_page
 * > 50,000} by default) is refused with 405 and GitLab's {@code {"error": ...}} text; GitLab does
 * that only for lists that also offer keyset paging, the fake for every list (stricter). The issues
 * list also serves keyset pages ({@code pagination=keyset}, GitLab 18.3+): a {@code cursor} in the
 * {@code rel="next"} Link, no counts; the end is an empty page without a Link.
 *
 * <p>Pages are served cheaply however large the list: the sorted list of a query is kept until the
 * data changes, and each {@code updated_at}/{@code created_at} text is parsed once.
 */
final class FakeGitLabPages {
  /** GitLab counts a list up to this many objects; past it the counts are left out. */
  static final int COUNT_LIMIT = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ISSUE_KEYSET_ORDERS = Set.of("created_at", "updated_at", "id");

  /** A list request answered: its URL, status, the X-Total sent (null: none) and the answer itself. */
  record Answer(String url, int status, Integer total, ResponseDefinition response) {}

  private final Map<String, Instant> instants = new ConcurrentHashMap<>();
  private int offsetLimit = 50_000;
  private boolean keysetIssues = true;
  private long version;
  private String cachedKey;
  private long cachedVersion = -1;
  private List<ObjectNode> cached;

  synchronized void offsetLimit(int items) {
    offsetLimit = items;
  }

  synchronized void keysetIssues(boolean served) {
    keysetIssues = served;
  }

  /** The data changed: sorted lists kept so far are stale. */
  synchronized void changed() {
    version++;
  }

  Instant instant(ObjectNode item, String field) {
    return instants.computeIfAbsent(item.get(field).asText(), t -> OffsetDateTime.parse(t).toInstant());
  }

  /** {@code list} in GitLab's order: by {@code field} ({@code sort} asc, else desc), then by id. */
  List<ObjectNode> sorted(List<ObjectNode> list, String field, String sort) {
    Comparator<ObjectNode> order = "id".equals(field) ? Comparator.comparingLong(o -> o.get("id").asLong())
        : Comparator.comparing((ObjectNode o) -> instant(o, field)).thenComparingLong(o -> o.get("id").asLong());
    list.sort("asc".equals(sort) ? order : order.reversed());
    return list;
  }

  /** An offset page of the list {@code all} supplies (asked only when the query's sorted list is not kept). */
  synchronized Answer offset(Request request, String path, String type, Supplier<List<ObjectNode>> all) {
    int perPage = Math.min(100, Math.max(1, intParam(request, "per_page", 20)));
    int page = Math.max(1, intParam(request, "page", 1));
    if (offsetLimit > 0 && (long) page * perPage > offsetLimit) {
      return error(request, "Offset pagination has a maximum allowed offset of " + offsetLimit + " for requests that return "
          + "objects of type " + type + ". Remaining records can be retrieved using keyset pagination.");
    }
    List<ObjectNode> list = kept(request, all);
    int pages = Math.max(1, (list.size() + perPage - 1) / perPage);
    boolean counted = list.size() <= COUNT_LIMIT;
    String base = "https://gitlab.example.com" + path + "?per_page=" + perPage + "&page=";
    List<String> links = new ArrayList<>();
    boolean more = (long) page * perPage < list.size();
    if (more) {
      links.add("<" + base + (page + 1) + ">; rel=\"next\"");
    }
    links.add("<" + base + 1 + ">; rel=\"first\"");
    if (counted) {
      links.add("<" + base + pages + ">; rel=\"last\"");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Page", Integer.toString(page));
    headers.put("X-Next-Page", more ? Integer.toString(page + 1) : "");
    headers.put("X-Prev-Page", page > 1 ? Integer.toString(page - 1) : "");
    headers.put("X-Per-Page", Integer.toString(perPage));
    if (counted) {
      headers.put("X-Total", Integer.toString(list.size()));
      headers.put("X-Total-Pages", Integer.toString(pages));
    }
    headers.put("Link", String.join(", ", links));
    String body = body(list.subList(Math.min(list.size(), (page - 1) * perPage), Math.min(list.size(), page * perPage)));
    return new Answer(request.getUrl(), 200, counted ? list.size() : null, json(200, body, headers));
  }

  /** The issues list: keyset pages when asked for and served, else offset pages. */
  synchronized Answer issues(Request request, String path, Supplier<List<ObjectNode>> all) {
    String orderBy = param(request, "order_by") == null ? "created_at" : param(request, "order_by");
    String sort = param(request, "sort") == null ? "desc" : param(request, "sort");
    Supplier<List<ObjectNode>> ordered = () -> sorted(all.get(), orderBy, sort);
    if (!"keyset".equals(param(request, "pagination"))) {
      return offset(request, path, "Issue", ordered);
    }
    if (!keysetIssues || !ISSUE_KEYSET_ORDERS.contains(orderBy) || !Set.of("asc", "desc").contains(sort)) {
      return error(request, "Keyset pagination is not yet available for this type of request");
    }
    int perPage = Math.min(100, Math.max(1, intParam(request, "per_page", 20)));
    List<ObjectNode> list = kept(request, ordered);
    int start = 0;
    String cursor = param(request, "cursor");
    if (cursor != null) {
      Map<String, String> after = cursor(cursor);
      ObjectNode last = list.stream().filter(o -> o.get("id").asText().equals(after.get("id"))).findFirst().orElse(null);
      // The cursor holds the last row's keys; the page starts after that row (a row gone since: after its place).
      Comparator<ObjectNode> order = Comparator.comparing((ObjectNode o) -> "id".equals(orderBy) ? Instant.EPOCH : instant(o, orderBy))
          .thenComparingLong(o -> o.get("id").asLong());
      Comparator<ObjectNode> direction = "asc".equals(sort) ? order : order.reversed();
      ObjectNode probe = last != null ? last : JSON.createObjectNode().put("id", Long.parseLong(after.get("id")))
          .put(orderBy, after.get(orderBy));
      while (start < list.size() && direction.compare(list.get(start), probe) <= 0) {
        start++;
      }
    }
    List<ObjectNode> items = list.subList(start, Math.min(list.size(), start + perPage));
    Map<String, String> headers = new LinkedHashMap<>();
    if (items.size() == perPage) {
      ObjectNode lastItem = items.get(items.size() - 1);
      String next = base64("{\"" + orderBy + "\":\"" + lastItem.get(orderBy).asText() + "\",\"id\":\"" + lastItem.get("id").asText()
          + "\",\"_kd\":\"n\"}");
      URI here = URI.create(request.getAbsoluteUrl());
      String query = request.getUrl().substring(request.getUrl().indexOf('?') + 1);
      String kept = java.util.Arrays.stream(query.split("&")).filter(p -> !p.startsWith("cursor=")).collect(Collectors.joining("&"));
      headers.put("Link", "<" + here.getScheme() + "://" + here.getAuthority() + path + "?" + kept + "&cursor=" + next
          + ">; rel=\"next\"");
      headers.put("X-Next-Cursor", next);
    }
    return new Answer(request.getUrl(), 200, null, json(200, body(items), headers));
  }

  /** The sorted list of this query (page and cursor aside), kept while the data is unchanged. */
  private List<ObjectNode> kept(Request request, Supplier<List<ObjectNode>> all) {
    String url = request.getUrl();
    String key = url.replaceAll("([?&])(page|cursor)=[^&]*", "$1");
    if (!key.equals(cachedKey) || cachedVersion != version) {
      cached = all.get();
      cachedKey = key;
      cachedVersion = version;
    }
    return cached;
  }

  private static Answer error(Request request, String message) {
    ObjectNode body = JSON.createObjectNode().put("error", message);
    return new Answer(request.getUrl(), 405, null, json(405, body.toString(), Map.of()));
  }

  private static String body(List<ObjectNode> items) {
    ArrayNode body = JSON.createArrayNode();
    items.forEach(body::add);
    return body.toString();
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> cursor(String cursor) {
    try {
      return JSON.readValue(Base64.getUrlDecoder().decode(cursor), Map.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a cursor of this fake: " + cursor, e);
    }
  }

  private static String param(Request request, String name) {
    QueryParameter p = request.queryParameter(name);
    return p == null || !p.isPresent() ? null : p.firstValue();
  }

  private static int intParam(Request request, String name, int otherwise) {
    String value = param(request, name);
    return value == null ? otherwise : Integer.parseInt(value);
  }

  static ResponseDefinition json(int status, String body, Map<String, String> headers) {
    ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body);
    headers.forEach(builder::withHeader);
    return builder.build();
  }
}
