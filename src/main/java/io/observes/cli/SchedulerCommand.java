package io.observes.cli;

import io.observes.batch.BatchSubmitter;
import io.observes.batch.JobCatalogue;
import io.observes.batch.JobScheduler;
import io.observes.batch.JobSpec;
import io.observes.config.ConfigException;
import io.observes.pipeline.RunId;
import io.observes.text.PrintableWriter;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.batch.BatchClient;

/**
 * {@code observes job scheduler}: the legacy hourly tick. Submits every catalogue job due in the
 * hour (with its chain); each independently, so one failure does not stop the others.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = "Submit every catalogue job whose schedule fires in the given hour (default: now).")
final class SchedulerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin CatalogueOptions catalogue;

  @Option(names = "--at", description = "The hour to run, ISO-8601 (e.g. 2026-11-23T03:00Z); default: now.")
  String at;

  @Option(names = "--zone", defaultValue = "UTC", description = "Time zone of --at without an offset (default: ${DEFAULT-VALUE}).")
  String zone;

  @Override
  public Integer call() {
    CommandContext context = CommandContext.of(spec);
    ZonedDateTime hour = hour(context);
    JobCatalogue jobs = catalogue.catalogue();
    List<JobSpec> due = new JobScheduler(jobs).due(hour);
    PrintWriter out = PrintableWriter.of(spec.commandLine().getOut());
    out.printf("%d job(s) due at %s: %s%n", due.size(), hour, due.stream().map(JobSpec::name).toList());
    out.flush();
    List<String> failed = new ArrayList<>();
    BatchClient client = catalogue.client(context);
    try {
      BatchSubmitter submitter = CatalogueOptions.submitter(client, jobs, out, catalogue.dryRun);
      for (JobSpec job : due) {
        try {
          submitter.submitChain(job.name(), RunId.startingAt(context.clock().instant()).value() + "-" + job.name());
        } catch (RuntimeException e) {
          failed.add(job.name() + " (" + e.getMessage() + ")");
          PrintableWriter.of(spec.commandLine().getErr()).println("observes: submitting " + job.name() + " failed: " + e.getMessage());
        }
      }
    } finally {
      if (client != null) {
        client.close();
      }
    }
    if (!failed.isEmpty()) {
      PrintableWriter.of(spec.commandLine().getErr()).println("observes: " + failed.size() + " of " + due.size()
          + " due job(s) were not submitted: " + failed + "; run the scheduler again for this hour with --at");
      spec.commandLine().getErr().flush();
      return ErrorHandler.FAILED;
    }
    return 0;
  }

  private ZonedDateTime hour(CommandContext context) {
    try {
      ZoneId zoneId = ZoneId.of(zone);
      if (at == null) {
        return context.clock().instant().atZone(zoneId);
      }
      try {
        return ZonedDateTime.parse(at).withZoneSameInstant(zoneId);
      } catch (DateTimeException e) {
        return java.time.LocalDateTime.parse(at).atZone(zoneId);
      }
    } catch (DateTimeException e) {
      throw new ConfigException("--at must be an ISO-8601 time like 2026-11-23T03:00Z and --zone a zone like UTC: " + e.getMessage(), e);
    }
  }

}
