package io.observes.cli;

import io.observes.config.Environment;
import io.observes.http.RetrySettings;
import java.time.Clock;
import picocli.CommandLine;

/** What every command gets from the root: the environment it reads, the clock, and how API calls are retried. */
interface CommandContext {
  Environment environment();

  Clock clock();

  /** Retries of API calls: {@link RetrySettings#DEFAULT}; tests pass short waits. */
  RetrySettings retries();

  /** The root's context, from any command's spec. */
  static CommandContext of(CommandLine.Model.CommandSpec spec) {
    return (CommandContext) spec.root().userObject();
  }
}
