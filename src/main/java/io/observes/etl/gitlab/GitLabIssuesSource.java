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
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The gitlab ETL's full-refresh streams (LEGACY.md §3, "ephemeral"): every issue of each project
 * (all states, oldest first, so issues opened during the walk append to it; in keyset pages) with
 * its assignees and labels, and every member (inherited ones included), replaced each run. No state.
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
          issues(project, progress).map(issue -> GitLabStreams.issue(issue, id, "listing the issues of project " + project)),
          members(project, progress).map(member -> GitLabStreams.member(member, id, "listing the members of project " + project)));
    });
    return Batch.stateless(records);
  }

  /**
   * Every issue, oldest first, in keyset pages (offset pages on an instance without them): rows
   * deleted during the walk shift no page, and no offset limit applies however many there are.
   */
  private Stream<JsonNode> issues(ProjectId project, ReadProgress progress) {
    String list = "projects/" + project.pathSegment() + "/issues?scope=all&order_by=created_at&sort=asc&per_page="
        + GitLabApi.PER_PAGE;
    KeysetPages pages = new KeysetPages(api, api.resolve(list + "&pagination=keyset"), api.resolve(list + "&page=1"),
        "listing the issues of project " + project, listener(project, "issues", progress));
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .peek(issue -> progress.record());
  }

  /** Every member, inherited ones included: GitLab offers no keyset pages for them (nor needs them: few). */
  private Stream<JsonNode> members(ProjectId project, ReadProgress progress) {
    String what = "listing the members of project " + project;
    PageWalk walk = new PageWalk(api, api.resolve("projects/" + project.pathSegment() + "/members/all?per_page="
        + GitLabApi.PER_PAGE + "&page=1"), what, null, NextPage.headers("page"), listener(project, "members", progress));
    return walk.stream().peek(member -> progress.record());
  }

  private static PageWalk.Listener listener(ProjectId project, String what, ReadProgress progress) {
    return page -> {
      progress.page();
      progress.at("project " + project + ", " + what + ", page " + page.number());
      return true;
    };
  }
}
