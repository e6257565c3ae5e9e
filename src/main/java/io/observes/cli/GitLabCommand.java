package io.observes.cli;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.etl.gitlab.GitLabApi;
import io.observes.etl.gitlab.GitLabIssuesSource;
import io.observes.etl.gitlab.GitLabSource;
import io.observes.etl.gitlab.ProjectId;
import io.observes.http.ApiClient;
import io.observes.text.PrintableWriter;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code observes etl gitlab}: merge requests and pipeline jobs of GitLab projects, differential,
 * merged into {@code gitlab-ci}; with {@code --full} also the issues and members, replaced in
 * {@code gitlab_ci_issues} (LEGACY.md §3).
 */
@Command(name = "gitlab", mixinStandardHelpOptions = true,
    description = {"GitLab merge requests (merged, closed) and pipeline jobs with their tags, read from where the last run",
        "stopped and merged into the warehouse; with --full also issues and members, replaced.",
        "GitLab: OBSERVES_GITLAB_URL (default https://gitlab.com/api/v4), token OBSERVES_GITLAB_TOKEN (or GITLAB_TOKEN)",
        "with the read_api scope; projects --project or OBSERVES_GITLAB_PROJECTS (comma-separated)."})
final class GitLabCommand implements Callable<Integer> {
  static final String PROJECTS_VARIABLE = "OBSERVES_GITLAB_PROJECTS";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--project", description = "A project: numeric id or full path (repeat for more).")
  List<String> projects = new ArrayList<>();

  @Option(names = "--max-pages", defaultValue = "0",
      description = "Read at most this many list pages per project and stream (first pages GitLab does not count, which only "
          + "size a window, aside); the next run resumes exactly where each stopped (default: no limit).")
  long maxPages;

  @Option(names = "--since", description = "A first run (no state yet) starts here (ISO time, e.g. 2025-01-01T00:00:00Z) "
      + "instead of the beginning of the history.")
  String since;

  @Option(names = "--full", description = "Also refresh the issues (with assignees and labels) and members.")
  boolean full;

  @Option(names = "--dry-run", description = "Fetch and stage, print what would be loaded; touch neither the warehouse nor the state.")
  boolean dryRun;

  @Option(names = "--target-schema", defaultValue = "gitlab-ci", description = "Schema of the merged streams (default: ${DEFAULT-VALUE}).")
  String targetSchema;

  @Option(names = "--issues-schema", defaultValue = "gitlab_ci_issues",
      description = "Schema of the --full streams (default: ${DEFAULT-VALUE}).")
  String issuesSchema;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    Environment env = context.environment();
    List<ProjectId> projectIds = projects(env);
    ApiClient api = new ApiClient(GitLabApi.settings(env, context.retries(), "read_api"), ApiClient.defaultHttpClient(),
        context.clock());
    GitLabSource differential;
    try {
      differential = new GitLabSource(api, new GitLabSource.Settings(projectIds, since(), maxPages), context.clock());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
    try (ApiEtl etl = new ApiEtl(env, context.clock())) {
      ApiEtlOutput.run(etl, differential, targetSchema, dryRun, out);
      if (full) {
        ApiEtlOutput.run(etl, new GitLabIssuesSource(api, projectIds), issuesSchema, dryRun, out);
      }
    }
    return 0;
  }

  private List<ProjectId> projects(Environment env) {
    List<String> names = new ArrayList<>(projects);
    if (names.isEmpty()) {
      env.get(PROJECTS_VARIABLE).ifPresent(v -> Arrays.stream(v.split(",")).map(String::strip).filter(p -> !p.isEmpty())
          .forEach(names::add));
    }
    if (names.isEmpty()) {
      throw new ConfigException("name the GitLab projects to load: --project ID (repeatable) or " + PROJECTS_VARIABLE
          + " (comma-separated ids or paths)");
    }
    try {
      return names.stream().map(ProjectId::new).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private Instant since() {
    if (since == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(since).toInstant();
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--since must be an ISO time like 2025-01-01T00:00:00Z, was '"
          + since + "'");
    }
  }
}
