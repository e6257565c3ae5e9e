package io.observes.testing;

import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The CLI as its own process, as the jar runs it, but at a given "now" (its first argument): tests
 * that kill processes date a run's windows as in-process tests do with {@code Clock.fixed}. The
 * rest is the jar's own entry: environment variables, exit code.
 */
public final class CliAt {
  private CliAt() {}

  public static void main(String[] args) {
    Instant now = Instant.parse(args[0]);
    System.exit(Main.run(Environment.system(), Clock.fixed(now, ZoneOffset.UTC), RetrySettings.DEFAULT,
        Arrays.copyOfRange(args, 1, args.length)));
  }
}
