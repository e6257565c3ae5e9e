package io.observes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code observes etl}: the ETLs that load the warehouse. */
@Command(name = "etl", mixinStandardHelpOptions = true, description = "Extract, transform and load a source into the warehouse.",
    subcommands = {DynamoCommand.class, GitLabCommand.class, ChecklyCommand.class, ComputeBillsCommand.class, TimeDoctorCommand.class, ZohoCommand.class})
final class EtlCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an ETL; see 'observes etl --help'");
  }
}
