package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.NextPage;
import io.observes.http.PageBudget;
import io.observes.http.PageWalk;
import io.observes.http.Query;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.Streams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The gitlab ETL's differential streams: per project, merge requests (merged and closed) and the
 * jobs of pipelines, each walked over the {@code updated_at} interval after the one the state says
 * is loaded, up to now (less {@link #SETTLE}), oldest first, in windows GitLab counts and the walk
 * checks for shifted pages ({@link WindowedWalk}); a first run from {@code since} (or the
 * beginning). With a page budget ({@code maxPages}, per stream and project) a walk stops after it.
 * The state records how far every stream got ({@link WindowedWalk#reached}), from which the next
 * run resumes (GitLab's bounds are inclusive, so the object there is read again, and lands once).
 */
public final class GitLabSource implements Source {
  public static final String NAME = "gitlab";
  /** Updates of the last minutes may not be visible in every list yet; the next run reads them. */
  static final Duration SETTLE = Duration.ofMinutes(2);
  static final String MERGED = "merge_requests/merged";
  static final String CLOSED = "merge_requests/closed";
  static final String PIPELINES = "pipelines";

  /** What to read. {@code since} bounds a first run (null: the whole history); {@code maxPages} 0 is no limit. */
  public record Settings(List<ProjectId> projects, Instant since, long maxPages) {
    public Settings {
      projects = List.copyOf(projects);
      if (projects.isEmpty()) {
        throw new IllegalArgumentException("name at least one GitLab project (--project)");
      }
      if (maxPages < 0) {
        throw new IllegalArgumentException("--max-pages must be at least 1 (or 0 for no limit), was " + maxPages);
      }
    }
  }

  private final ApiClient api;
  private final Settings settings;
  private final Clock clock;

  public GitLabSource(ApiClient api, Settings settings, Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Streams streams() {
    return new Streams(List.of(GitLabStreams.MERGE_REQUESTS, GitLabStreams.JOBS)).retiring(GitLabStreams.RETIRED_JOB_TAGS);
  }

  @Override
  public boolean stateful() {
    return true;
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    if (segment.total() != 1) {
      throw new IllegalArgumentException("the gitlab ETL reads as one segment, not " + segment);
    }
    GitLabState before = state.map(s -> GitLabState.from(s, "the gitlab state")).orElse(GitLabState.empty());
    AtomicReference<GitLabState> after = new AtomicReference<>(before);
    Instant to = clock.instant().minus(SETTLE);
    List<Supplier<Stream<SourceRecord>>> walks = new ArrayList<>();
    for (ProjectId project : settings.projects()) {
      walks.add(() -> {
        long id = GitLabProjects.numericId(api, project);
        return Stream.<Supplier<Stream<SourceRecord>>>of(
                () -> walk(project, MERGED, "merge_requests?scope=all&state=merged", before, after, to, progress,
                    (mr, what) -> List.of(GitLabStreams.mergeRequest(mr, what))),
                () -> walk(project, CLOSED, "merge_requests?scope=all&state=closed", before, after, to, progress,
                    (mr, what) -> List.of(GitLabStreams.mergeRequest(mr, what))),
                () -> walk(project, PIPELINES, "pipelines?", before, after, to, progress,
                    (pipeline, what) -> jobs(project, id, pipeline, what, progress)))
            .flatMap(Supplier::get);
      });
    }
    Stream<SourceRecord> records = walks.stream().flatMap(Supplier::get);
    return new Batch(records, () -> Optional.of(after.get().toJson()));
  }

  @FunctionalInterface
  private interface Records {
    List<SourceRecord> of(JsonNode item, String what);
  }

  /** One stream of one project over its next interval, advancing {@code after} as far as its walk got. */
  private Stream<SourceRecord> walk(ProjectId project, String stream, String list, GitLabState before,
      AtomicReference<GitLabState> after, Instant to, ReadProgress progress, Records records) {
    Covered covered = before.covered(project, stream);
    Instant from = covered.resumeFrom(settings.since());
    if (from != null && !from.isBefore(to)) {
      return Stream.empty();
    }
    // A budget per walk: one stream far behind never starves the others of their pages.
    PageBudget budget = settings.maxPages() == 0 ? PageBudget.unlimited() : PageBudget.of(settings.maxPages());
    String what = stream + " of project " + project;
    String query = "projects/" + project.pathSegment() + "/" + list + (list.endsWith("?") ? "" : "&")
        + "order_by=updated_at&sort=asc&per_page=" + GitLabApi.PER_PAGE + "&page=1";
    WindowedWalk walk = new WindowedWalk(api, from, to, window -> api.resolve(query + "&updated_before="
        + Query.encode(window.before().toString()) + (window.after() == null ? "" : "&updated_after="
        + Query.encode(window.after().toString()))), what, budget, progress);
    String call = "listing the " + what;
    Iterator<SourceRecord> iterator = new Iterator<>() {
      private Iterator<SourceRecord> pending = List.<SourceRecord>of().iterator();
      private boolean finished;

      @Override
      public boolean hasNext() {
        while (!pending.hasNext()) {
          if (!walk.hasNext()) {
            finish();
            return false;
          }
          pending = records.of(walk.next(), call).iterator();
        }
        return true;
      }

      @Override
      public SourceRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        progress.record();
        return pending.next();
      }

      /** Every record of the walk was consumed: the coverage may reach as far as the walk got. */
      private void finish() {
        if (!finished) {
          finished = true;
          walk.reached().ifPresent(reached ->
              after.updateAndGet(s -> s.with(project, stream, s.covered(project, stream).plus(from, reached))));
        }
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Every job of a pipeline, retried ones included, as {@code jobs} records. */
  private List<SourceRecord> jobs(ProjectId project, long projectId, JsonNode pipeline, String what, ReadProgress progress) {
    long pipelineId = GitLabStreams.requireId(pipeline, "id", what);
    String call = "listing the jobs of pipeline " + pipelineId + " of project " + project;
    PageWalk walk = new PageWalk(api, api.resolve("projects/" + project.pathSegment() + "/pipelines/" + pipelineId
        + "/jobs?include_retried=true&per_page=" + GitLabApi.PER_PAGE + "&page=1"), call, null, NextPage.headers("page"),
        page -> {
          progress.page();
          return true;
        });
    List<SourceRecord> records = new ArrayList<>();
    walk.forEachRemaining(job -> {
      JsonNode jobPipeline = job.path("pipeline").path("id");
      if (jobPipeline.canConvertToLong() && jobPipeline.asLong() != pipelineId) {
        throw new ApiException(0, "GitLab answered " + call + " with job " + job.path("id") + " of pipeline " + jobPipeline);
      }
      records.add(GitLabStreams.job(job, projectId, call));
    });
    return records;
  }
}
