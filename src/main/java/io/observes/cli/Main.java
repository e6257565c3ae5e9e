package io.observes.cli;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import io.observes.secrets.SecretsLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point of {@code observes.jar}. Exit codes: 0 ok, 1 job failed, 2 usage or configuration error. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return run(Environment.system(), Clock.systemUTC(), RetrySettings.DEFAULT,
        Optional.of(Path.of(SecretsLocation.DEFAULT_NAME)), args);
  }

  /** Runs a command as the jar does, then pushes its runs' metrics when a Pushgateway is configured. */
  public static int run(Environment env, Clock clock, RetrySettings retries, String... args) {
    return run(env, clock, retries, Optional.empty(), args);
  }

  /** As the jar runs: {@code defaultSecrets} is read when no secrets file is named. */
  static int run(Environment env, Clock clock, RetrySettings retries, Optional<Path> defaultSecrets, String... args) {
    java.time.Instant started = clock.instant();
    CommandLine cli = commandLine(env, clock, retries, defaultSecrets);
    int code = cli.execute(args);
    Environment resolved;
    try {
      resolved = ((ObservesCommand) cli.getCommand()).environment();
    } catch (ConfigException e) {
      resolved = env; // the secrets file could not be used: the error said so; metrics go without it
    }
    ExitMetrics.push(resolved, clock, started);
    return code;
  }

  /** The configured command line on {@code env}, for {@link #run} and for tests. */
  public static CommandLine commandLine(Environment env) {
    return commandLine(env, Clock.systemUTC(), RetrySettings.DEFAULT);
  }

  /** With another clock and retries: tests run a command at a given "now", retrying in milliseconds. */
  public static CommandLine commandLine(Environment env, Clock clock, RetrySettings retries) {
    return commandLine(env, clock, retries, Optional.empty());
  }

  static CommandLine commandLine(Environment env, Clock clock, RetrySettings retries, Optional<Path> defaultSecrets) {
    ObservesCommand root = new ObservesCommand(env, clock, retries, defaultSecrets);
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(new ErrorHandler(root::environment, clock, retries));
    return cli;
  }
}
