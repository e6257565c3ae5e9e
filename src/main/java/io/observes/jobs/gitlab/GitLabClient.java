package io.observes.jobs.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.etl.gitlab.GitLabApi;
import io.observes.etl.gitlab.ProjectId;
import io.observes.etl.gitlab.KeysetPages;
import io.observes.http.ApiClient;
import io.observes.http.Query;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The two calls of GitLab's Jobs API that cancel-ci-jobs makes, over the shared {@link ApiClient}
 * (retries, rate limit, credentials kept out of every message).
 */
public final class GitLabClient {
  private final ApiClient api;

  public GitLabClient(ApiClient api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  /**
   * Every job of {@code project} whose status is one of {@code scopes}, retried jobs included, newest
   * first, following GitLab's paging to the end: keyset pages (ordered by id, so a job that starts
   * or finishes meanwhile shifts no page, and no offset limit applies), or offset pages on an
   * instance without them, where a job seen twice is returned once.
   */
  public List<GitLabJob> jobs(ProjectId project, List<String> scopes) {
    Objects.requireNonNull(project, "project");
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("name at least one scope; without one GitLab lists every job ever run");
    }
    String list = "projects/" + project.pathSegment() + "/jobs?"
        + scopes.stream().map(s -> "scope%5B%5D=" + Query.encode(s)).collect(Collectors.joining("&"))
        + "&include_retried=true&per_page=" + GitLabApi.PER_PAGE;
    String what = "listing the jobs of project " + project;
    KeysetPages walk = new KeysetPages(api, api.resolve(list + "&pagination=keyset&order_by=id&sort=desc"),
        api.resolve(list + "&page=1"), what, page -> true);
    Map<Long, GitLabJob> jobs = new LinkedHashMap<>();
    walk.forEachRemaining(node -> {
      GitLabJob job = GitLabJob.fromJson(node, what);
      jobs.putIfAbsent(job.id(), job);
    });
    return List.copyOf(jobs.values());
  }

  /** Cancels one job; returns it as GitLab reports it afterwards (status canceling or canceled). */
  public GitLabJob cancel(ProjectId project, long jobId) {
    Objects.requireNonNull(project, "project");
    String what = "cancelling job " + jobId + " of project " + project;
    JsonNode after = api.postJson("projects/" + project.pathSegment() + "/jobs/" + jobId + "/cancel", null, what);
    return GitLabJob.fromJson(after, what);
  }
}
