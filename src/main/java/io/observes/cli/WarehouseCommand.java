package io.observes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code observes warehouse}: commands about the warehouse itself rather than a job's data. */
@Command(name = "warehouse", mixinStandardHelpOptions = true, description = "The warehouse itself.",
    subcommands = {WarehouseCheckCommand.class})
final class WarehouseCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command; see 'observes warehouse --help'");
  }
}
