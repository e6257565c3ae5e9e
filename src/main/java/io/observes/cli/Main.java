package io.observes.cli;

import picocli.CommandLine;

/** Entry point of {@code observes.jar}. Exit codes: 0 ok, 1 job failed, 2 usage or configuration error. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for {@link #run} and for tests that capture its output. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ObservesCommand());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli;
  }
}
