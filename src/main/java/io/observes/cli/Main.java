package io.observes.cli;

import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import java.time.Clock;
import picocli.CommandLine;

/** Entry point of {@code observes.jar}. Exit codes: 0 ok, 1 job failed, 2 usage or configuration error. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return run(Environment.system(), Clock.systemUTC(), RetrySettings.DEFAULT, args);
  }

  /** Runs a command as the jar does, then pushes its runs' metrics when a Pushgateway is configured. */
  public static int run(Environment env, Clock clock, RetrySettings retries, String... args) {
    java.time.Instant started = clock.instant();
    int code = commandLine(env, clock, retries).execute(args);
    ExitMetrics.push(env, clock, started);
    return code;
  }

  /** The configured command line on {@code env}, for {@link #run} and for tests. */
  public static CommandLine commandLine(Environment env) {
    return commandLine(env, Clock.systemUTC(), RetrySettings.DEFAULT);
  }

  /** With another clock and retries: tests run a command at a given "now", retrying in milliseconds. */
  public static CommandLine commandLine(Environment env, Clock clock, RetrySettings retries) {
    CommandLine cli = new CommandLine(new ObservesCommand(env, clock, retries));
    cli.setExecutionExceptionHandler(new ErrorHandler(env, clock, retries));
    return cli;
  }
}
