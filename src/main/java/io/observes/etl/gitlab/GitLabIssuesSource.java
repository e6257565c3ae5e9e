package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.NextPage;
import io.observes.http.PageWalk;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.Streams;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The gitlab ETL's full-refresh streams (LEGACY.md §3, "ephemeral"): every issue of each project
 * (all states, oldest first, so issues opened during the walk append to it) with its assignees and
 * labels, and every member (inherited ones included), replaced each run. No state.
 */
public final class GitLabIssuesSource implements Source {
  public static final String NAME = "gitlab-issues";

  private final ApiClient api;
  private final List<ProjectId> projects;

  public GitLabIssuesSource(ApiClient api, List<ProjectId> projects) {
    this.api = Objects.requireNonNull(api, "api");
    this.projects = List.copyOf(projects);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Streams streams() {
    return new Streams(List.of(GitLabStreams.ISSUES, GitLabStreams.MEMBERS));
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    Stream<SourceRecord> records = projects.stream().flatMap(project -> {
      long id = GitLabProjects.numericId(api, project);
      return Stream.concat(
          list(project, "issues?scope=all&order_by=created_at&sort=asc", "issues", progress,
              (issue, what) -> GitLabStreams.issue(issue, id, what)),
          list(project, "members/all?", "members", progress, (member, what) -> GitLabStreams.member(member, id, what)));
    });
    return Batch.stateless(records);
  }

  private Stream<SourceRecord> list(ProjectId project, String path, String what, ReadProgress progress,
      BiFunction<JsonNode, String, SourceRecord> record) {
    String call = "listing the " + what + " of project " + project;
    String query = path + (path.endsWith("?") ? "" : "&") + "per_page=" + GitLabApi.PER_PAGE + "&page=1";
    PageWalk walk = new PageWalk(api, api.resolve("projects/" + project.pathSegment() + "/" + query), call, null,
        NextPage.headers("page"), page -> {
          progress.page();
          progress.at("project " + project + ", " + what + ", page " + page.number());
          return true;
        });
    return walk.stream()
        .map(node -> {
          progress.record();
          return record.apply(node, call);
        });
  }
}
