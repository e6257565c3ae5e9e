package io.observes.etl.gitlab;

import io.observes.testing.FakeApi;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's REST API v4 as WireMock serves it for these tests: projects holding merge requests,
 * pipelines with their jobs, issues and members, listed as the docs say — filtered by
 * {@code state}, {@code updated_after}/{@code updated_before} (both inclusive), ordered by
 * {@code order_by}/{@code sort}, in offset pages of {@code per_page} with X-Page, X-Next-Page,
 * X-Per-Page, X-Total, X-Total-Pages and Link headers. Objects have the documented shapes (see
 * docs.gitlab.com/api/merge_requests, /pipelines, /jobs, /issues, /members). Thread-safe.
 */
final class FakeGitLab extends FakeApi {
  static final String NAME = "fake-gitlab";
  static final String API = "/api/v4";
  private static final Pattern PROJECT = Pattern.compile(API + "/projects/([^/]+)(/.*)?");

  private final Map<Long, String> paths = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> mergeRequests = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> pipelines = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> jobs = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> issues = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> members = new LinkedHashMap<>();
  /** Every list request served, path and query, for assertions on what a run asked. */
  final List<String> served = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Consumer<String> beforeEachList = url -> { };

  FakeGitLab() {
    super(NAME);
  }



  synchronized void project(long id, String path) {
    paths.put(id, path);
  }

  /** Runs before every list request is answered (a test holds a run inside its walk with it). */
  void beforeEachList(Runnable hook) {
    beforeEachList = url -> hook.run();
  }

  /** As {@link #beforeEachList(Runnable)}, given the request's path and query. */
  void beforeEachList(java.util.function.Consumer<String> hook) {
    beforeEachList = hook;
  }

  synchronized ObjectNode mergeRequest(long project, long id, String state, Instant updatedAt) {
    ObjectNode mr = (ObjectNode) read("""
        {"id": %d, "iid": %d, "project_id": %d, "title": "Load the CRM deals incrementally (%d)",
         "description": "Closes #12.\\n\\nStages deals by their modified time.", "state": "%s", "imported": false,
         "imported_from": "none", "merged_by": %s, "merge_user": %s, "merged_at": %s, "merge_after": null,
         "prepared_at": "2026-01-02T10:00:01.000Z", "closed_by": %s, "closed_at": %s,
         "created_at": "2026-01-02T10:00:00.000Z", "updated_at": "%s", "target_branch": "trunk",
         "source_branch": "dana/crm-deals-%d", "upvotes": 0, "downvotes": 0,
         "author": {"id": 7, "username": "dana", "public_email": null, "name": "Dana Developer", "state": "active",
                    "locked": false, "avatar_url": null, "web_url": "https://gitlab.example.com/dana"},
         "assignee": null, "assignees": [{"id": 7, "username": "dana", "name": "Dana Developer", "state": "active",
                    "locked": false, "avatar_url": null, "web_url": "https://gitlab.example.com/dana"}],
         "reviewers": [], "source_project_id": %d, "target_project_id": %d, "labels": ["etl", "crm"],
         "draft": false, "work_in_progress": false, "milestone": null, "merge_when_pipeline_succeeds": false,
         "merge_status": "can_be_merged", "detailed_merge_status": "not_open", "sha": "8888888888888888888888888888888888888888",
         "merge_commit_sha": null, "squash_commit_sha": null, "user_notes_count": 3, "discussion_locked": null,
         "should_remove_source_branch": true, "force_remove_source_branch": false,
         "web_url": "https://gitlab.example.com/observes/etl/-/merge_requests/%d", "reference": "!%d",
         "references": {"short": "!%d", "relative": "!%d", "full": "observes/etl!%d"},
         "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": null, "human_total_time_spent": null},
         "squash": false, "squash_on_merge": false, "task_completion_status": {"count": 0, "completed_count": 0},
         "has_conflicts": false, "blocking_discussions_resolved": true, "approvals_before_merge": null}
        """.formatted(id, id % 1000, project, id, state, "merged".equals(state) ? USER : "null",
        "merged".equals(state) ? USER : "null", "merged".equals(state) ? "\"" + updatedAt + "\"" : "null",
        "closed".equals(state) ? USER : "null", "closed".equals(state) ? "\"" + updatedAt + "\"" : "null", updatedAt, id,
        project, project, id, id, id, id, id));
    replace(mergeRequests, project, mr);
    return mr;
  }

  private static final String USER = """
      {"id": 7, "username": "dana", "name": "Dana Developer", "state": "active", "locked": false, "avatar_url": null,
       "web_url": "https://gitlab.example.com/dana"}""";

  /** A pipeline and its jobs ({@code names}, ids {@code firstJob}, {@code firstJob + 1}, ...). */
  synchronized ObjectNode pipeline(long project, long id, Instant updatedAt, long firstJob, String... names) {
    ObjectNode pipeline = (ObjectNode) read("""
        {"id": %d, "iid": %d, "project_id": %d, "sha": "a91957a858320c0e17f3a0eca7cfacbff50ea29a", "ref": "trunk",
         "status": "success", "source": "push", "created_at": "2026-01-05T08:00:00.000Z", "updated_at": "%s",
         "web_url": "https://gitlab.example.com/observes/etl/-/pipelines/%d", "name": null}
        """.formatted(id, id % 1000, project, updatedAt, id));
    replace(pipelines, project, pipeline);
    List<ObjectNode> list = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      list.add(job(id, firstJob + i, names[i], updatedAt));
    }
    jobs.put(id, list);
    return pipeline;
  }

  /** A pipeline updated at {@code at} because job {@code name} was retried as job {@code newJob}. */
  synchronized void retry(long project, long pipeline, long newJob, String name, Instant at) {
    pipelines.get(project).stream().filter(p -> p.get("id").asLong() == pipeline).findFirst().orElseThrow()
        .put("updated_at", at.toString());
    jobs.get(pipeline).add(job(pipeline, newJob, name, at));
  }

  private static ObjectNode job(long pipeline, long id, String name, Instant at) {
    return (ObjectNode) read("""
        {"commit": {"author_email": "dana@example.com", "author_name": "Dana Developer",
                    "created_at": "2026-01-05T07:59:00.000+01:00", "id": "a91957a858320c0e17f3a0eca7cfacbff50ea29a",
                    "message": "Stage deals", "short_id": "a91957a8", "title": "Stage deals"},
         "coverage": null, "archived": false, "source": "push", "allow_failure": false,
         "created_at": "2026-01-05T08:00:01.000Z", "started_at": "2026-01-05T08:00:30.000Z", "finished_at": "%s",
         "erased_at": null, "duration": 93.412, "queued_duration": 0.58,
         "artifacts_file": null, "artifacts": [{"file_type": "trace", "size": 1500, "filename": "job.log", "file_format": null}],
         "artifacts_expire_at": null, "tag_list": ["docker", "observes"], "id": %d, "name": "%s",
         "pipeline": {"id": %d, "project_id": 4711, "ref": "trunk", "sha": "a91957a858320c0e17f3a0eca7cfacbff50ea29a",
                      "status": "success"},
         "ref": "trunk", "runner": {"id": 32, "description": "shared-runner-eu-1", "ip_address": null, "active": true,
                      "paused": false, "is_shared": true, "runner_type": "instance_type", "name": "gitlab-runner",
                      "online": true, "status": "online"},
         "runner_manager": null, "stage": "test", "status": "success", "failure_reason": null, "tag": false,
         "web_url": "https://gitlab.example.com/observes/etl/-/jobs/%d", "project": {"ci_job_token_scope_enabled": false},
         "user": {"id": 7, "name": "Dana Developer", "username": "dana", "state": "active", "locked": false,
                  "avatar_url": null, "web_url": "https://gitlab.example.com/dana", "created_at": "2024-05-21T13:14:24.077Z",
                  "bio": "", "location": "", "public_email": null, "linkedin": "", "twitter": "", "website_url": "",
                  "organization": ""}}
        """.formatted(at, id, name, pipeline, id));
  }

  synchronized void issue(long project, long id, String title) {
    ObjectNode issue = (ObjectNode) read("""
        {"state": "opened", "description": "The nightly load of %s fails.", "author": %s, "milestone": null,
         "project_id": %d, "assignees": [%s], "assignee": %s, "type": "ISSUE", "updated_at": "2026-01-06T09:00:00.000Z",
         "closed_at": null, "closed_by": null, "id": %d, "title": "%s", "created_at": "2026-01-0%dT09:00:00.000Z",
         "moved_to_id": null, "iid": %d, "labels": ["bug", "etl"], "upvotes": 0, "downvotes": 0,
         "merge_requests_count": 0, "user_notes_count": 1, "due_date": null, "imported": false, "imported_from": "none",
         "web_url": "https://gitlab.example.com/observes/etl/-/issues/%d",
         "references": {"short": "#%d", "relative": "#%d", "full": "observes/etl#%d"},
         "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": null, "human_total_time_spent": null},
         "has_tasks": false, "task_status": "", "confidential": false, "discussion_locked": false, "issue_type": "issue",
         "severity": "UNKNOWN", "_links": {"self": "https://gitlab.example.com/api/v4/projects/%d/issues/%d"},
         "task_completion_status": {"count": 0, "completed_count": 0}}
        """.formatted(title, USER, project, USER, USER, id, title, 1 + id % 9, id, id, id, id, id, project, id));
    replace(issues, project, issue);
  }

  synchronized void member(long project, long id, String username, int accessLevel) {
    replace(members, project, (ObjectNode) read("""
        {"id": %d, "username": "%s", "name": "%s", "state": "active", "avatar_url": null,
         "web_url": "https://gitlab.example.com/%s", "created_at": "2024-01-01T00:00:00.000Z",
         "created_by": {"id": 1, "username": "root", "name": "Administrator", "state": "active", "avatar_url": null,
                        "web_url": "https://gitlab.example.com/root"},
         "expires_at": null, "access_level": %d, "group_saml_identity": null}
        """.formatted(id, username, username, username, accessLevel)));
  }

  private static void replace(Map<Long, List<ObjectNode>> lists, long project, ObjectNode item) {
    List<ObjectNode> list = lists.computeIfAbsent(project, p -> new ArrayList<>());
    list.removeIf(o -> o.get("id").asLong() == item.get("id").asLong());
    list.add(item);
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    String path = path(request);
    Matcher m = PROJECT.matcher(path);
    if (!m.matches()) {
      return notFound();
    }
    String rest = m.group(2) == null ? "" : m.group(2);
    if (!rest.isEmpty()) {
      served.add(request.getUrl());
      beforeEachList.accept(request.getUrl());
    }
    List<ObjectNode> all;
    long project;
    synchronized (this) {
      Long id = projectId(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
      if (id == null) {
        return notFound();
      }
      project = id;
      if (rest.isEmpty()) {
        return json(200, "{\"id\": " + project + ", \"path_with_namespace\": \"" + paths.get(project) + "\"}", Map.of());
      }
      Matcher jobList = Pattern.compile("/pipelines/(\\d+)/jobs").matcher(rest);
      if (jobList.matches()) {
        all = new ArrayList<>(jobs.getOrDefault(Long.parseLong(jobList.group(1)), List.of()));
      } else {
        all = switch (rest) {
          case "/merge_requests" -> filtered(mergeRequests, project, request);
          case "/pipelines" -> filtered(pipelines, project, request);
          case "/issues" -> sorted(new ArrayList<>(issues.getOrDefault(project, List.of())), "created_at", request);
          case "/members/all" -> new ArrayList<>(members.getOrDefault(project, List.of()));
          default -> null;
        };
      }
    }
    if (all == null) {
      return notFound();
    }
    return page(all, request, path);
  }

  private Long projectId(String idOrPath) {
    for (Map.Entry<Long, String> p : paths.entrySet()) {
      if (Long.toString(p.getKey()).equals(idOrPath) || p.getValue().equals(idOrPath)) {
        return p.getKey();
      }
    }
    return null;
  }

  private static List<ObjectNode> filtered(Map<Long, List<ObjectNode>> lists, long project, Request request) {
    String state = param(request, "state");
    Instant after = time(param(request, "updated_after"));
    Instant before = time(param(request, "updated_before"));
    Predicate<ObjectNode> keep = o -> {
      Instant updated = OffsetDateTime.parse(o.get("updated_at").asText()).toInstant();
      return (state == null || state.equals(o.path("state").asText()))
          && (after == null || !updated.isBefore(after)) && (before == null || !updated.isAfter(before));
    };
    List<ObjectNode> out = new ArrayList<>(lists.getOrDefault(project, List.of()).stream().filter(keep).toList());
    return sorted(out, param(request, "order_by") == null ? "created_at" : param(request, "order_by"), request);
  }

  private static List<ObjectNode> sorted(List<ObjectNode> list, String field, Request request) {
    Comparator<ObjectNode> order = Comparator.comparing((ObjectNode o) -> OffsetDateTime.parse(o.get(field).asText()).toInstant())
        .thenComparing(o -> o.get("id").asLong());
    list.sort("asc".equals(param(request, "sort")) ? order : order.reversed());
    return list;
  }

  private static ResponseDefinition page(List<ObjectNode> all, Request request, String path) {
    int perPage = param(request, "per_page") == null ? 20 : Integer.parseInt(param(request, "per_page"));
    int page = param(request, "page") == null ? 1 : Integer.parseInt(param(request, "page"));
    int pages = Math.max(1, (all.size() + perPage - 1) / perPage);
    ArrayNode body = JSON.createArrayNode();
    all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(body::add);
    String base = "https://gitlab.example.com" + path + "?per_page=" + perPage + "&page=";
    List<String> links = new ArrayList<>();
    if (page < pages) {
      links.add("<" + base + (page + 1) + ">; rel=\"next\"");
    }
    links.add("<" + base + 1 + ">; rel=\"first\"");
    links.add("<" + base + pages + ">; rel=\"last\"");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Page", Integer.toString(page));
    headers.put("X-Next-Page", page < pages ? Integer.toString(page + 1) : "");
    headers.put("X-Prev-Page", page > 1 ? Integer.toString(page - 1) : "");
    headers.put("X-Per-Page", Integer.toString(perPage));
    headers.put("X-Total", Integer.toString(all.size()));
    headers.put("X-Total-Pages", Integer.toString(pages));
    headers.put("Link", String.join(", ", links));
    return json(200, body.toString(), headers);
  }


  private static Instant time(String value) {
    return value == null ? null : OffsetDateTime.parse(value).toInstant();
  }

  private static ResponseDefinition notFound() {
    return json(404, "{\"message\":\"404 Project Not Found\"}", Map.of());
  }

  private static ResponseDefinition json(int status, String body, Map<String, String> headers) {
    ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body);
    headers.forEach(builder::withHeader);
    return builder.build();
  }
}
