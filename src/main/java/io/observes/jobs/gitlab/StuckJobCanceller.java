package io.observes.jobs.gitlab;

import io.observes.etl.gitlab.ProjectId;
import io.observes.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Cancels a project's CI jobs stuck in created, pending or running for longer than a threshold
 * (LEGACY.md §9): such jobs hold runners and block pipelines behind them, and nobody is watching
 * them. It lists every unfinished job first and cancels afterwards, because cancelling while paging
 * would shift GitLab's offset pages under the listing. One failed cancel does not stop the others;
 * the report says which failed, so a person can look at exactly those.
 */
public final class StuckJobCanceller {
  /** The statuses of a job that has not finished: the ones a stuck job is in. */
  public static final List<String> UNFINISHED = List.of("created", "pending", "running");

  private final GitLabClient gitlab;
  private final Clock clock;

  public StuckJobCanceller(GitLabClient gitlab, Clock clock) {
    this.gitlab = Objects.requireNonNull(gitlab, "gitlab");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What was done to a stuck job. */
  public enum Action {
    CANCELLED("CANCELLED"), WOULD_CANCEL("WOULD CANCEL"), FAILED("FAILED");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One stuck job, its age when the run started, and what was done; {@code error} is null unless it FAILED. */
  public record Outcome(GitLabJob job, Duration age, Action action, String error) {
    public Outcome {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(age, "age");
      Objects.requireNonNull(action, "action");
    }
  }

  /**
   * What one run did: {@code unfinished} jobs were looked at, {@code outcomes} are the stuck ones,
   * oldest first.
   */
  public record Report(ProjectId project, Duration threshold, boolean dryRun, int unfinished, List<Outcome> outcomes) {
    public Report {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(threshold, "threshold");
      outcomes = List.copyOf(outcomes);
    }

    public List<Outcome> failed() {
      return outcomes.stream().filter(o -> o.action() == Action.FAILED).toList();
    }

    public long cancelled() {
      return outcomes.stream().filter(o -> o.action() == Action.CANCELLED).count();
    }

    /** True unless a cancel failed. */
    public boolean succeeded() {
      return failed().isEmpty();
    }
  }

  /**
   * Cancels every job of {@code project} created more than {@code threshold} ago that has not
   * finished; with {@code dryRun} only reports what it would cancel. Listing failures throw
   * ({@link ApiException}); a failed cancel is an outcome.
   */
  public Report cancelStuck(ProjectId project, Duration threshold, boolean dryRun) {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("the threshold must be positive, was " + threshold);
    }
    Instant now = clock.instant();
    List<GitLabJob> unfinished = gitlab.jobs(project, UNFINISHED);
    List<GitLabJob> stuck = unfinished.stream()
        .filter(job -> job.age(now).compareTo(threshold) > 0)
        .sorted(Comparator.comparing(GitLabJob::createdAt).thenComparing(GitLabJob::id))
        .toList();
    List<Outcome> outcomes = new ArrayList<>();
    for (GitLabJob job : stuck) {
      outcomes.add(dryRun ? new Outcome(job, job.age(now), Action.WOULD_CANCEL, null) : cancel(project, job, now));
    }
    return new Report(project, threshold, dryRun, unfinished.size(), outcomes);
  }

  private Outcome cancel(ProjectId project, GitLabJob job, Instant now) {
    try {
      gitlab.cancel(project, job.id());
      return new Outcome(job, job.age(now), Action.CANCELLED, null);
    } catch (ApiException e) {
      return new Outcome(job, job.age(now), Action.FAILED, e.getMessage());
    }
  }
}
