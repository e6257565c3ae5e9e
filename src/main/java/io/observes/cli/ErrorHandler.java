package io.observes.cli;

import io.observes.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns an exception from a command into a one-line error and an exit code: 2 for configuration
 * errors (fix the settings), 1 for a failed job (the message says what to retry). The stack trace
 * goes to the debug log only.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int CONFIG = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    boolean config = e instanceof ConfigException;
    cli.getErr().println(cli.getColorScheme().errorText("observes: " + (config ? "configuration error: " : "failed: ")
        + e.getMessage()));
    LOG.debug("{} failed", cli.getCommandName(), e);
    return config ? CONFIG : FAILED;
  }
}
