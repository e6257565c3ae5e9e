package io.observes.etl.timedoctor;

import io.observes.testing.FakeApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TimeDoctor's API 1.0 as WireMock serves it for these tests: {@code POST /login} (a new JWT each
 * time, {@code {"data": {"token", "expires", "createdAt"}}}), every other call signed
 * {@code Authorization: JWT <token>} or 401; {@code /authorization} with the companies; users and
 * screenshots as {@code {"data": [...], "paging": {"cur", "next"}}} paged by {@code page} (an
 * offset) and {@code limit}; worklogs as {@code {"data": [[...]]}}, one list per user asked for,
 * every worklog that overlaps {@code [from, to)} (so one spanning midnight of a month's end is in
 * both months). Shapes after TimeDoctor's reference and a published worklog response.
 */
final class FakeTimeDoctor extends FakeApi {
  static final String NAME = "fake-timedoctor";
  static final String API = "/api/1.0";
  static final String DEVICE = "4C4C4544-005A-4810-8054-CAC04F534A32";

  private final String email;
  private final String password;
  private final AtomicInteger logins = new AtomicInteger();
  private volatile String token;
  final Map<String, String> users = new LinkedHashMap<>();
  final List<ObjectNode> worklogs = new ArrayList<>();
  final List<ObjectNode> screenshots = new ArrayList<>();
  final List<String> served = new CopyOnWriteArrayList<>();
  /** Whether a full page names the next one; false: TimeDoctor leaves {@code paging.next} out although more follows. */
  volatile boolean nextOnFullPages = true;
  private volatile java.util.function.Consumer<String> beforeEach = url -> { };

  FakeTimeDoctor(String email, String password) {
    super(NAME);
    this.email = email;
    this.password = password;
  }



  int logins() {
    return logins.get();
  }

  /** The current token stops working: the next call gets 401 and the client logs in again. */
  void expireToken() {
    token = "expired";
  }

  /** Runs before every signed request is answered, given its path and query (a test holds a run inside its read with it). */
  void beforeEach(java.util.function.Consumer<String> hook) {
    beforeEach = hook;
  }

  /** TimeDoctor no longer serves any worklog or screenshot (months past what it keeps). */
  synchronized void forgetActivity() {
    worklogs.clear();
    screenshots.clear();
  }

  synchronized void user(String id, String name) {
    users.put(id, name);
  }

  synchronized void worklog(String user, Instant start, long seconds, String task, String project) {
    worklog(user, start, seconds, task, project, "computer", DEVICE);
  }

  /**
   * A worklog as the platform team's own client decodes one ({@code {"data": [[...]]}}, see
   * api-samples/timedoctor/worklog.*): start, time, mode, user, task and project with their names,
   * and the device it was tracked on.
   */
  synchronized void worklog(String user, Instant start, long seconds, String task, String project, String mode, String device) {
    worklogs.add((ObjectNode) read("""
        {"start": "%s", "time": %d, "mode": "%s", "userId": "%s", "taskId": "t-%s", "taskName": "Task %s",
         "projectId": "p-%s", "projectName": "Project %s", "shift": "-", "deviceId": "%s"}
        """.formatted(start.toString().replace("Z", ".000Z"), seconds, mode, user, task, task, project, project, device)));
  }

  synchronized void screenshot(String user, Instant at) {
    screenshot(user, at, DEVICE, 112, 340);
  }

  /**
   * A screenshot as the original tap reads one (api-samples/timedoctor/screenshot.shape.*): no id of
   * its own; user, date and device; {@code numbers[]}, the files taken then, whose first one's
   * {@code meta} holds the keystrokes ({@code keys}), mouse movements ({@code movements}), task and
   * project; {@code appInfo} the process and window in front; {@code deleted_by}, {@code deletedSeconds}.
   */
  synchronized void screenshot(String user, Instant at, String device, int keys, int movements) {
    screenshots.add((ObjectNode) read("""
        {"userId": "%s", "date": "%s", "deviceId": "%s",
         "numbers": [{"number": "1", "mime": "image/jpeg", "deleted": false, "avgActivity": 62, "entity": "screenshot",
                      "meta": {"blur": false, "clicks": 9, "movements": %d, "keys": %d, "period": 600,
                               "projectId": "p-1", "taskId": "t-1"}}],
         "appInfo": {"process": "chrome.exe", "window": "Observes - Pull request 17"},
         "deleted_by": null, "deletedSeconds": 0}
        """.formatted(user, at, device, movements, keys)));
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    served.add(request.getMethod() + " " + request.getUrl());
    String path = path(request);
    if (path.equals(API + "/login")) {
      JsonNode body = read(request.getBodyAsString());
      if (!email.equals(body.path("email").asText()) || !password.equals(body.path("password").asText())) {
        return json(401, "{\"statusCode\": 401, \"error\": \"Unauthorized\", \"message\": \"Invalid email or password\"}");
      }
      token = "jwt-" + logins.incrementAndGet();
      return json(200, "{\"data\": {\"token\": \"" + token + "\", \"expires\": \"2026-12-31T00:00:00.000Z\", "
          + "\"createdAt\": \"2026-11-20T09:00:00.000Z\"}}");
    }
    if (token == null || !("JWT " + token).equals(request.getHeader("Authorization"))) {
      return json(401, "{\"statusCode\": 401, \"error\": \"Unauthorized\", \"message\": \"Invalid or expired token\"}");
    }
    beforeEach.accept(request.getUrl());
    synchronized (this) {
      switch (path) {
        case API + "/authorization":
          return json(200, "{\"data\": {\"id\": \"u-admin\", \"email\": \"" + email + "\", \"companies\": [{\"id\": \"c-1\", "
              + "\"name\": \"Acme\", \"role\": \"owner\"}]}}");
        case API + "/users": {
          List<ObjectNode> all = new ArrayList<>();
          users.forEach((id, name) -> all.add((ObjectNode) read("{\"id\": \"" + id + "\", \"name\": \"" + name + "\", "
              + "\"email\": \"" + id + "@example.com\", \"role\": \"user\"}")));
          return page(all, request);
        }
        case API + "/activity/worklog": {
          Instant from = Instant.parse(param(request, "from"));
          Instant to = Instant.parse(param(request, "to"));
          ArrayNode mine = JSON.createArrayNode();
          worklogs.stream().filter(w -> w.get("userId").asText().equals(param(request, "user"))).filter(w -> {
            Instant start = Instant.parse(w.get("start").asText());
            return start.isBefore(to) && start.plusSeconds(w.get("time").asLong()).isAfter(from);
          }).forEach(mine::add);
          ArrayNode data = JSON.createArrayNode();
          data.add(mine);
          return json(200, JSON.createObjectNode().set("data", data).toString());
        }
        case API + "/files/screenshot": {
          Instant from = Instant.parse(param(request, "from"));
          Instant to = Instant.parse(param(request, "to"));
          return page(screenshots.stream().filter(s -> s.get("userId").asText().equals(param(request, "user"))).filter(s -> {
            Instant at = Instant.parse(s.get("date").asText());
            return !at.isBefore(from) && at.isBefore(to);
          }).toList(), request);
        }
        default:
          return json(404, "{\"statusCode\": 404, \"error\": \"Not Found\", \"message\": \"Not Found\"}");
      }
    }
  }

  private ResponseDefinition page(List<ObjectNode> all, Request request) {
    int limit = param(request, "limit") == null ? 100 : Integer.parseInt(param(request, "limit"));
    int offset = param(request, "page") == null ? 0 : Integer.parseInt(param(request, "page"));
    ArrayNode data = JSON.createArrayNode();
    all.stream().skip(offset).limit(limit).forEach(data::add);
    ObjectNode body = JSON.createObjectNode();
    body.set("data", data);
    ObjectNode paging = body.putObject("paging").put("cur", Integer.toString(offset)).put("limit", limit);
    // A full page names the next (which may be empty), as offset paging does; the original tap
    // followed paging.next until it was missing.
    if (data.size() == limit && nextOnFullPages) {
      paging.put("next", Integer.toString(offset + limit));
    } else {
      paging.putNull("next");
    }
    return json(200, body.toString());
  }


}
