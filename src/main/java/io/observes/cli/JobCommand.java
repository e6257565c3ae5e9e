package io.observes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code observes job}: the jobs that keep Batch and CI healthy, and the legacy scheduler. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Operational jobs.",
    subcommands = {SchedulerCommand.class, BatchStabilityCommand.class, CancelCiJobsCommand.class})
final class JobCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a job; see 'observes job --help'");
  }
}
