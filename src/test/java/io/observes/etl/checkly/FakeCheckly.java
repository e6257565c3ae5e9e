package io.observes.etl.checkly;

import io.observes.testing.FakeApi;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checkly's Public API as WireMock serves it for these tests, as its OpenAPI documents it: v1's
 * bare arrays paged by {@code limit} (1..100) and {@code page}; check statuses in one answer
 * whatever the paging; v2's check results of one check started in {@code [from, to)} (UNIX
 * seconds, no cap on the range), {@code {"length", "entries", "nextId"}} paged by the
 * {@code nextId} cursor, null on the last page; a 401 {"statusCode", "error", "message"} without
 * the bearer key and account. Objects have the shapes of checkly-cli's and checkly-go-sdk's
 * fixtures (v2's entries are v1's CheckResult objects, the same schema).
 */
final class FakeCheckly extends FakeApi {
  static final String NAME = "fake-checkly";

  private final String key;
  private final String account;
  final Map<String, ObjectNode> checks = new LinkedHashMap<>();
  final List<ObjectNode> groups = new ArrayList<>();
  final List<ObjectNode> channels = new ArrayList<>();
  final Map<String, List<ObjectNode>> results = new LinkedHashMap<>();
  final List<String> served = new CopyOnWriteArrayList<>();
  /** Results beside those added by hand, made up as they are asked for ({@link FakeCheckResults.Schedule}). */
  private volatile FakeCheckResults.Schedule schedule;
  /** How many entries of a page the next one serves again: results read twice. */
  private volatile int overlap;

  FakeCheckly(String key, String account) {
    super(NAME);
    this.key = key;
    this.account = account;
  }



  synchronized void check(String id, String type) {
    checks.put(id, (ObjectNode) read("""
        {"id": "%s", "name": "%s check %s", "description": null, "checkType": "%s", "activated": true, "muted": false,
         "frequency": 10, "frequencyOffset": 1, "locations": ["eu-central-1", "us-east-1"], "privateLocations": [],
         "tags": ["production"], "groupId": 17, "groupOrder": null, "runtimeId": "2024.02", "scriptPath": null,
         "created_at": "2025-01-01T00:00:00.000Z", "updated_at": "2025-06-02T10:30:00.000Z"}
        """.formatted(id, type, id, type)));
    results.putIfAbsent(id, new ArrayList<>());
  }

  void schedule(FakeCheckResults.Schedule schedule) {
    this.schedule = schedule;
  }

  /** Every next page starts {@code entries} before the end of the page before it. */
  void overlap(int entries) {
    this.overlap = entries;
  }

  synchronized void removeCheck(String id) {
    checks.remove(id);
  }

  synchronized void group(long id) {
    groups.add((ObjectNode) read("""
        {"id": %d, "name": "Platform", "activated": true, "muted": false, "tags": ["auto"], "locations": ["eu-west-1", "us-east-1"],
         "concurrency": 3, "apiCheckDefaults": {"url": "example.com/api/test", "headers": [], "queryParameters": [],
         "assertions": [], "basicAuth": {"username": "", "password": ""}},
         "alertChannelSubscriptions": [{"alertChannelId": 240783, "activated": true}], "setupSnippetId": null,
         "tearDownSnippetId": null, "localSetupScript": null, "localTearDownScript": null, "doubleCheck": true,
         "useGlobalAlertSettings": true, "created_at": "2025-01-01T00:00:00.000Z", "updated_at": null}
        """.formatted(id)));
  }

  synchronized void channel(long id) {
    channels.add((ObjectNode) read("""
        {"id": %d, "type": "EMAIL", "config": {"address": "oncall@example.com"}, "created_at": "2024-12-02T10:18:24.012Z",
         "updated_at": null, "sendRecovery": false, "sendFailure": true, "sendDegraded": false, "sslExpiry": true,
         "sslExpiryThreshold": 25, "autoSubscribe": false,
         "subscriptions": [{"id": 12799454, "checkId": "check-api", "activated": true, "groupId": null}]}
        """.formatted(id)));
  }

  /** A result of {@code check} started at {@code at}: an API or a browser result, as the check's type says. */
  synchronized ObjectNode result(String check, String id, Instant at) {
    boolean browser = "BROWSER".equals(checks.get(check).get("checkType").asText());
    String api = browser ? "null" : """
        {"request": {"url": "https://app.example.com/health", "data": "", "method": "GET", "params": {}, "headers": {}},
         "response": {"body": "{\\"ok\\":true}", "href": "https://app.example.com/health", "status": 200,
                      "headers": {"content-type": "application/json"}, "timings": {"end": 129.71048199990764,
                      "lookup": 19.16466800030321}, "truncated": false, "statusText": "OK",
                      "timingPhases": {"dns": 18.337, "tcp": 23.491, "wait": 0.827, "total": 129.710, "download": 0.219,
                      "firstByte": 86.835}},
         "assertions": [{"order": 0, "source": "STATUS_CODE", "target": 200, "property": "", "comparison": "EQUALS"}]}""";
    String browserResult = !browser ? "null" : """
        {"framework": "playwright", "errors": [], "runtimeVersion": "2024.02",
         "traceSummary": {"consoleErrors": 0, "networkErrors": 0, "documentErrors": 0, "userScriptErrors": 0},
         "pages": [{"url": "https://app.example.com/", "webVitals": {"CLS": {"score": "GOOD", "value": 0.012},
                    "FCP": {"score": "GOOD", "value": 812}, "LCP": {"score": "GOOD", "value": 1320.5},
                    "TBT": {"score": "GOOD", "value": 40}, "TTFB": {"score": "GOOD", "value": 210.3}}},
                   {"url": "https://app.example.com/login", "webVitals": {"CLS": {"score": "GOOD", "value": 0},
                    "FCP": {"score": "GOOD", "value": 640}, "LCP": {"score": "NEEDS_IMPROVEMENT", "value": 2600.1},
                    "TBT": {"score": "GOOD", "value": 12}, "TTFB": {"score": "GOOD", "value": 180}}}],
         "jobLog": null, "jobAssets": null, "playwrightTestTraces": [], "playwrightTestVideos": []}""";
    ObjectNode result = (ObjectNode) read("""
        {"id": "%s", "hasErrors": false, "hasFailures": false, "runLocation": "eu-central-1", "startedAt": "%s",
         "stoppedAt": "%s", "responseTime": 129, "apiCheckResult": %s, "browserCheckResult": %s, "checkId": "%s",
         "created_at": "%s", "name": "%s", "checkRunId": %d, "attempts": 1, "isDegraded": false,
         "overMaxResponseTime": false, "resultType": "FINAL"}
        """.formatted(id, at, at.plusMillis(130), api, browserResult, check, at.plusSeconds(1), checks.get(check).get("name")
        .asText(), at.toEpochMilli(), check));
    results.get(check).removeIf(r -> r.get("id").asText().equals(id));
    results.get(check).add(result);
    return result;
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    served.add(request.getUrl());
    String path = path(request);
    if (!("Bearer " + key).equals(request.getHeader("Authorization")) || !account.equals(request.getHeader("X-Checkly-Account"))) {
      return json(401, "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Bad Token\"}");
    }
    Long limit = number(request, "limit");
    if (limit != null && (limit < 1 || limit > 100)) {
      return json(400, "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"\\\"limit\\\" must be less than or equal to 100\"}");
    }
    synchronized (this) {
      if (path.equals("/v1/checks")) {
        return page(new ArrayList<>(checks.values()), request);
      }
      if (path.equals("/v1/check-groups")) {
        return page(groups, request);
      }
      if (path.equals("/v1/alert-channels")) {
        return page(channels, request);
      }
      if (path.equals("/v1/check-statuses")) {
        ArrayNode all = JSON.createArrayNode();
        checks.values().forEach(c -> all.add(read("""
            {"name": "%s", "checkId": "%s", "hasFailures": false, "hasErrors": false, "isDegraded": false, "longestRun": 6300,
             "shortestRun": 0, "lastRunLocation": "us-east-1", "lastCheckRunId": "run-%s", "sslDaysRemaining": 34,
             "created_at": "2025-01-01T00:00:00.000Z", "updated_at": "2025-01-02T00:00:00.000Z"}
            """.formatted(c.get("name").asText(), c.get("id").asText(), c.get("id").asText()))));
        return json(200, all.toString());
      }
      if (path.equals("/v1/reporting")) {
        ArrayNode all = JSON.createArrayNode();
        checks.values().forEach(c -> all.add(read("""
            {"name": "%s", "checkId": "%s", "checkType": "%s", "deactivated": false, "tags": ["production"],
             "aggregate": {"successRatio": 99.31, "avg": 143, "p95": 210, "p99": 388}}
            """.formatted(c.get("name").asText(), c.get("id").asText(), c.get("checkType").asText()))));
        return json(200, all.toString());
      }
      if (path.startsWith("/v2/check-results/")) {
        return checkResults(path.substring("/v2/check-results/".length()), request, limit == null ? 10 : limit.intValue());
      }
    }
    return json(404, "{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"Not Found\"}");
  }

  /**
   * A v2 page of one check's results started in {@code [from, to)}, newest first:
   * {@code {"length": entries on the page, "entries", "nextId"}}, {@code nextId} null on the last
   * page. The cursor is opaque and names its query: asked with another {@code from}, {@code to} or
   * {@code limit}, or not one of ours, it is a 400.
   */
  private ResponseDefinition checkResults(String check, Request request, int limit) {
    long from = number(request, "from") == null ? 0 : number(request, "from");
    long to = number(request, "to") == null ? Long.MAX_VALUE : number(request, "to");
    String query = from + ":" + to + ":" + limit;
    long skip = 0;
    String cursor = param(request, "nextId");
    if (cursor != null) {
      String decoded = FakeCheckResults.decode(cursor);
      if (decoded == null || !decoded.startsWith(query + ":")) {
        return json(400, "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"Invalid nextId\"}");
      }
      skip = Long.parseLong(decoded.substring(query.length() + 1));
    }
    List<ObjectNode> found = FakeCheckResults.page(results.getOrDefault(check, List.of()),
        checks.containsKey(check) ? schedule : null, check, checks.containsKey(check) ? checks.get(check).get("name").asText() : "",
        from, to, skip, limit + 1);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode entries = JSON.createArrayNode();
    found.stream().limit(limit).forEach(entries::add);
    body.put("length", entries.size());
    body.set("entries", entries);
    if (found.size() > limit) {
      body.put("nextId", FakeCheckResults.encode(query + ":" + (skip + limit - overlap)));
    } else {
      body.putNull("nextId");
    }
    return json(200, body.toString());
  }

  private static ResponseDefinition page(List<ObjectNode> all, Request request) {
    int limit = number(request, "limit") == null ? 10 : number(request, "limit").intValue();
    int page = number(request, "page") == null ? 1 : number(request, "page").intValue();
    ArrayNode body = JSON.createArrayNode();
    all.stream().skip((long) (page - 1) * limit).limit(limit).forEach(body::add);
    int first = (page - 1) * limit;
    return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
        .withHeader("Content-Range", first + "-" + Math.max(first, first + body.size() - 1) + "/" + all.size())
        .withBody(body.toString()).build();
  }

  private static Long number(Request request, String name) {
    String value = param(request, name);
    return value == null ? null : Long.valueOf(value);
  }

}
