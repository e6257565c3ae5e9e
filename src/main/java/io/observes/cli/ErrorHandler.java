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
    // A configuration error raised on a worker thread (a segment, the prefetch) arrives wrapped in
    // the failure of the work it stopped: it is still a configuration error, said in its own words.
    ConfigException config = null;
    for (Throwable t = e; t != null && config == null; t = t.getCause() == t ? null : t.getCause()) {
      config = t instanceof ConfigException c ? c : null;
    }
    cli.getErr().println(cli.getColorScheme().errorText("observes: " + (config != null ? "configuration error: "
        + config.getMessage() : "failed: " + e.getMessage())));
    LOG.debug("{} failed", cli.getCommandName(), e);
    return config != null ? CONFIG : FAILED;
  }
}
