package io.observes.cli;

import io.observes.config.Environment;
import java.time.Clock;
import picocli.CommandLine;

/** What every command gets from the root: the environment it reads and the clock. */
interface CommandContext {
  Environment environment();

  Clock clock();

  /** The root's context, from any command's spec. */
  static CommandContext of(CommandLine.Model.CommandSpec spec) {
    return (CommandContext) spec.root().userObject();
  }
}
