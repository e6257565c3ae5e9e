package io.observes.etl.gitlab;

import io.observes.testing.FakeApi;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's REST API v4 as WireMock serves it for these tests: projects holding merge requests,
 * pipelines with their jobs, issues and members, listed as the docs say — filtered by
 * {@code state}, {@code updated_after}/{@code updated_before} (both inclusive), ordered by
 * {@code order_by}/{@code sort}, in offset pages with GitLab's headers and limits (no counts past
 * 10,000 objects, no offset past 50,000; issues also in keyset pages: {@link FakeGitLabPages}).
 * Objects have the documented shapes (see docs.gitlab.com/api/merge_requests, /pipelines, /jobs,
 * /issues, /members). Thread-safe.
 */
final class FakeGitLab extends FakeApi {
  static final String NAME = "fake-gitlab";
  static final String API = "/api/v4";
  private static final Pattern PROJECT = Pattern.compile(API + "/projects/([^/]+)(/.*)?");

  private final Map<Long, String> paths = new LinkedHashMap<>();
  // Per project, by id in the order added (a replaced object moves to the end, as an update would).
  private final Map<Long, Map<Long, ObjectNode>> mergeRequests = new LinkedHashMap<>();
  private final Map<Long, Map<Long, ObjectNode>> pipelines = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> jobs = new LinkedHashMap<>();
  private final Map<Long, Map<Long, ObjectNode>> issues = new LinkedHashMap<>();
  private final Map<Long, Map<Long, ObjectNode>> members = new LinkedHashMap<>();
  /** Every list request served, path and query, for assertions on what a run asked. */
  final List<String> served = new CopyOnWriteArrayList<>();
  /** Every list request answered: its URL, status and the X-Total sent (null: none). */
  final List<FakeGitLabPages.Answer> answers = new CopyOnWriteArrayList<>();
  private final FakeGitLabPages pages = new FakeGitLabPages();
  private volatile java.util.function.Consumer<String> beforeEachList = url -> { };

  FakeGitLab() {
    super(NAME);
  }



  synchronized void project(long id, String path) {
    paths.put(id, path);
  }

  /**
   * The instance's offset pagination limit ({@code offset_pagination_limit}, 50,000 by default; a
   * self-managed admin may lower it): pages past it are refused with GitLab's 405.
   */
  void offsetLimit(int items) {
    pages.offsetLimit(items);
  }

  /** Whether the issues list serves keyset pages (GitLab 18.3 and later) or refuses them with 405 (before). */
  void keysetIssues(boolean served) {
    pages.keysetIssues(served);
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

  /**
   * {@code count} merge requests (ids {@code firstId}, {@code firstId + 1}, ...; the i-th updated at
   * {@code updatedAt.apply(i)}) in a short form: the documented fields a list shows of a merge
   * request that matter to paging and keys, without the people, labels and references of
   * {@link #mergeRequest}, so that tens of thousands are served and loaded in seconds.
   */
  synchronized void mergeRequests(long project, long firstId, int count, String state, IntFunction<Instant> updatedAt) {
    Map<Long, ObjectNode> list = mergeRequests.computeIfAbsent(project, p -> new LinkedHashMap<>());
    for (int i = 0; i < count; i++) {
      long id = firstId + i;
      String updated = updatedAt.apply(i).toString();
      ObjectNode mr = JSON.createObjectNode().put("id", id).put("iid", id % 100_000).put("project_id", project)
          .put("title", "Stage deals incrementally (" + id + ")").put("state", state)
          .put("created_at", "2026-01-02T10:00:00.000Z").put("updated_at", updated);
      mr.put("merged_at", "merged".equals(state) ? updated : null).put("closed_at", "closed".equals(state) ? updated : null)
          .put("target_branch", "trunk").put("source_branch", "dana/deals-" + id).put("draft", false)
          .put("web_url", "https://gitlab.example.com/observes/etl/-/merge_requests/" + id % 100_000);
      list.remove(id);
      list.put(id, mr);
    }
    pages.changed();
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
    pipelines.get(project).get(pipeline).put("updated_at", at.toString());
    jobs.get(pipeline).add(job(pipeline, newJob, name, at));
    pages.changed();
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

  private void replace(Map<Long, Map<Long, ObjectNode>> lists, long project, ObjectNode item) {
    Map<Long, ObjectNode> list = lists.computeIfAbsent(project, p -> new LinkedHashMap<>());
    long id = item.get("id").asLong();
    list.remove(id);
    list.put(id, item);
    pages.changed();
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
    FakeGitLabPages.Answer answer;
    synchronized (this) {
      Long id = projectId(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
      if (id == null) {
        return notFound();
      }
      long project = id;
      if (rest.isEmpty()) {
        return FakeGitLabPages.json(200, "{\"id\": " + project + ", \"path_with_namespace\": \"" + paths.get(project) + "\"}",
            Map.of());
      }
      Matcher jobList = Pattern.compile("/pipelines/(\\d+)/jobs").matcher(rest);
      if (jobList.matches()) {
        answer = pages.offset(request, path, "Ci::Build",
            () -> new ArrayList<>(jobs.getOrDefault(Long.parseLong(jobList.group(1)), List.of())));
      } else {
        answer = switch (rest) {
          case "/merge_requests" -> pages.offset(request, path, "MergeRequest", () -> filtered(mergeRequests, project, request));
          case "/pipelines" -> pages.offset(request, path, "Ci::Pipeline", () -> filtered(pipelines, project, request));
          case "/issues" -> pages.issues(request, path, () -> new ArrayList<>(issues.getOrDefault(project, Map.of()).values()));
          case "/members/all" -> pages.offset(request, path, "Member",
              () -> new ArrayList<>(members.getOrDefault(project, Map.of()).values()));
          default -> null;
        };
      }
    }
    if (answer == null) {
      return notFound();
    }
    answers.add(answer);
    return answer.response();
  }

  private Long projectId(String idOrPath) {
    for (Map.Entry<Long, String> p : paths.entrySet()) {
      if (Long.toString(p.getKey()).equals(idOrPath) || p.getValue().equals(idOrPath)) {
        return p.getKey();
      }
    }
    return null;
  }

  private List<ObjectNode> filtered(Map<Long, Map<Long, ObjectNode>> lists, long project, Request request) {
    String state = param(request, "state");
    Instant after = time(param(request, "updated_after"));
    Instant before = time(param(request, "updated_before"));
    Predicate<ObjectNode> keep = o -> {
      Instant updated = pages.instant(o, "updated_at");
      return (state == null || state.equals(o.path("state").asText()))
          && (after == null || !updated.isBefore(after)) && (before == null || !updated.isAfter(before));
    };
    List<ObjectNode> out = new ArrayList<>(lists.getOrDefault(project, Map.of()).values().stream().filter(keep).toList());
    return pages.sorted(out, param(request, "order_by") == null ? "created_at" : param(request, "order_by"),
        param(request, "sort"));
  }

  private static Instant time(String value) {
    return value == null ? null : OffsetDateTime.parse(value).toInstant();
  }

  private static ResponseDefinition notFound() {
    return FakeGitLabPages.json(404, "{\"message\":\"404 Project Not Found\"}", Map.of());
  }
}
