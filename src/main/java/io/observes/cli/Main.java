package io.observes.cli;

import picocli.CommandLine;

/** Entry point of {@code observes.jar}. Exit codes: 0 ok, 1 job failed, 2 usage or configuration error. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new ObservesCommand());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli.execute(args);
  }
}
