package io.observes.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: every ETL and job of Observes is a subcommand. */
@Command(
    name = "observes",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Observes: extracts data from the company's services, turns it into relational tables and loads it",
      "into the warehouse (Redshift in production, PostgreSQL locally).",
      "",
      "Configuration comes from flags and environment variables; see README.md."
    },
    subcommands = {RunsCommand.class, AutoComplete.GenerateCompletion.class},
    footer = {"", "Exit codes: 0 ok, 1 job failed, 2 usage or configuration error."})
public final class ObservesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command; see 'observes --help'");
  }
}
