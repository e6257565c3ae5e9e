package io.observes.cli;

import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import java.time.Clock;
import java.util.Objects;
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
    subcommands = {EtlCommand.class, JobCommand.class, BatchCommand.class, DemoCommand.class, RunsCommand.class,
        ReportCommand.class, CheckCommand.class,
        AutoComplete.GenerateCompletion.class},
    footer = {"", "Exit codes: 0 ok, 1 job failed, 2 usage or configuration error."})
public final class ObservesCommand implements Runnable, CommandContext {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Environment environment;
  private final Clock clock;
  private final RetrySettings retries;

  public ObservesCommand(Environment environment, Clock clock) {
    this(environment, clock, RetrySettings.DEFAULT);
  }

  public ObservesCommand(Environment environment, Clock clock, RetrySettings retries) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retries = Objects.requireNonNull(retries, "retries");
  }

  @Override
  public RetrySettings retries() {
    return retries;
  }

  @Override
  public Environment environment() {
    return environment;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command; see 'observes --help'");
  }
}
