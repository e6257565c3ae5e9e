package io.observes.cli;

import io.observes.batch.JobSpec;
import io.observes.jobs.quality.DqReport;
import io.observes.jobs.quality.Finding;
import io.observes.jobs.quality.HealthChecks;
import io.observes.jobs.quality.PipelineHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code observes report}: the data-quality dashboard, one self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write the data-quality dashboard from the run log: a tile per pipeline of the catalogue (status,",
        "freshness against its SLA, success rate), the latest failures and how to retry them, failing checks, and per",
        "pipeline its duration trend, rows per table over time and rejected values. One HTML file, no network needed."})
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin QualityCommands.Options options;

  @Option(names = "--out", required = true, description = "The HTML file to write, e.g. dq.html.")
  Path out;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    Instant now = context.clock().instant();
    Instant since = QualityCommands.since(spec, options, now);
    List<JobSpec> jobs = QualityCommands.jobs(options, null);
    List<PipelineHistory> histories = QualityCommands.histories(context, options, jobs, since, now);
    List<Finding> findings = new ArrayList<>();
    histories.forEach(h -> findings.addAll(HealthChecks.of(h, now)));
    String html = DqReport.render(histories, findings, since, now);
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path partial = out.resolveSibling(out.getFileName() + ".partial");
      Files.writeString(partial, html, StandardCharsets.UTF_8);
      Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + out + ": " + e.getMessage(), e);
    }
    long failing = findings.stream().filter(f -> !f.passed()).count();
    spec.commandLine().getOut().printf("Wrote %s: %d pipelines, %d failing check(s), runs since %s.%n", out, histories.size(),
        failing, since);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
