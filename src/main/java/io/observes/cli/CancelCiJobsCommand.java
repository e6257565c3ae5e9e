package io.observes.cli;

import io.observes.etl.gitlab.GitLabApi;
import io.observes.etl.gitlab.ProjectId;
import io.observes.http.ApiClient;
import io.observes.jobs.gitlab.GitLabClient;
import io.observes.jobs.gitlab.StuckJobCanceller;
import io.observes.text.PrintableWriter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code observes job cancel-ci-jobs}: cancels the project's GitLab CI jobs stuck in created,
 * pending or running for longer than the threshold (the legacy job, LEGACY.md §9). Every cancel is
 * tried; the run fails (exit 1) naming the jobs whose cancel failed.
 */
@Command(name = "cancel-ci-jobs", mixinStandardHelpOptions = true,
    description = {"Cancel the GitLab CI jobs of a project stuck in created, pending or running for longer than",
        "--threshold-hours. GitLab: OBSERVES_GITLAB_URL (default: https://gitlab.com/api/v4), token",
        "OBSERVES_GITLAB_TOKEN (or GITLAB_TOKEN) with the 'api' scope."})
final class CancelCiJobsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--project", required = true, description = "GitLab project: numeric id or full path, e.g. group/project.")
  String project;

  @Option(names = "--threshold-hours", defaultValue = "8",
      description = "A job created more than this many hours ago and not finished is stuck (default: ${DEFAULT-VALUE}).")
  int thresholdHours;

  @Option(names = "--dry-run", description = "Print the stuck jobs; cancel nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    if (thresholdHours <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threshold-hours must be greater than 0");
    }
    ProjectId projectId = projectId();
    CommandContext context = CommandContext.of(spec);
    GitLabClient gitlab = new GitLabClient(new ApiClient(GitLabApi.settings(context.environment(), context.retries(), "api"),
        ApiClient.defaultHttpClient(), context.clock()));
    StuckJobCanceller.Report report;
    try {
      report = JobRecording.record(context.environment(), context.clock(), "cancel-ci-jobs", "cancel", () -> {
        StuckJobCanceller.Report done =
            new StuckJobCanceller(gitlab, context.clock()).cancelStuck(projectId, Duration.ofHours(thresholdHours), dryRun);
        print(PrintableWriter.of(spec.commandLine().getOut()), done);
        if (!done.failed().isEmpty()) {
          throw new CancelsFailed(done);
        }
        return done;
      }, done -> List.of());
    } catch (CancelsFailed e) {
      report = e.report;
    }
    List<StuckJobCanceller.Outcome> failed = report.failed();
    if (failed.isEmpty()) {
      return 0;
    }
    PrintWriter err = PrintableWriter.of(spec.commandLine().getErr());
    failed.forEach(o -> err.println("observes: cancelling job " + o.job().id() + " (" + o.job().name() + ") failed: " + o.error()));
    err.println("observes: " + failed.size() + " of " + report.outcomes().size() + " stuck job(s) were not cancelled: "
        + failed.stream().map(o -> o.job().id() + " " + o.job().name()).toList()
        + "; run cancel-ci-jobs again, or cancel them in GitLab");
    err.flush();
    return ErrorHandler.FAILED;
  }

  /** Some cancels failed: the run log records the run as FAILED; the command says which. */
  private static final class CancelsFailed extends RuntimeException {
    private final transient StuckJobCanceller.Report report;

    CancelsFailed(StuckJobCanceller.Report report) {
      super(report.failed().size() + " of " + report.outcomes().size() + " stuck job(s) were not cancelled");
      this.report = report;
    }
  }

  private ProjectId projectId() {
    try {
      return new ProjectId(project);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--project: " + e.getMessage());
    }
  }

  static void print(PrintWriter out, StuckJobCanceller.Report report) {
    long hours = report.threshold().toHours();
    if (report.outcomes().isEmpty()) {
      out.printf("No stuck jobs in project %s: %d unfinished job(s), none created more than %d h ago.%n", report.project(),
          report.unfinished(), hours);
      out.flush();
      return;
    }
    out.printf("%-12s %-30s %-9s %8s  %s%n", "JOB", "NAME", "STATUS", "AGE (h)", "ACTION");
    for (StuckJobCanceller.Outcome o : report.outcomes()) {
      out.printf(Locale.ROOT, "%-12d %-30s %-9s %8.1f  %s%n", o.job().id(), o.job().name(), o.job().status(), o.age().toMinutes() / 60.0,
          o.action().label() + (o.error() == null ? "" : ": " + o.error()));
    }
    if (report.dryRun()) {
      out.printf("Dry run: would cancel %d of %d unfinished job(s) in project %s created more than %d h ago; cancelled nothing.%n",
          report.outcomes().size(), report.unfinished(), report.project(), hours);
    } else {
      out.printf("Cancelled %d of %d stuck job(s) (created more than %d h ago) in project %s; %d failed; %d unfinished job(s) checked.%n",
          report.cancelled(), report.outcomes().size(), hours, report.project(), report.failed().size(), report.unfinished());
    }
    out.flush();
  }
}
