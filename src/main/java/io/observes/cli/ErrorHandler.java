package io.observes.cli;

import io.observes.alert.AlertWebhook;
import io.observes.alert.Attempt;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.config.UrlCredentials;
import io.observes.http.ApiClient;
import io.observes.http.RetrySettings;
import io.observes.text.PrintableText;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns an exception from a command into a one-line error and an exit code: 2 for configuration
 * errors (fix the settings), 1 for a failed job (the message says what to retry). The stack trace
 * goes to the debug log only. A failed AWS Batch job at its last attempt also alerts the webhook
 * ({@code OBSERVES_ALERT_WEBHOOK}); an alert that does not go out is logged, never the job's failure.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int CONFIG = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private final Supplier<Environment> environment;
  private final Clock clock;
  private final RetrySettings retries;

  /** {@code environment}: the command's, with its secrets file (the webhook may be a secret in it). */
  ErrorHandler(Supplier<Environment> environment, Clock clock, RetrySettings retries) {
    this.environment = environment;
    this.clock = clock;
    this.retries = retries;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    // A configuration error raised on a worker thread (a segment, the prefetch) arrives wrapped in
    // the failure of the work it stopped: it is still a configuration error, said in its own words.
    ConfigException config = null;
    for (Throwable t = e; t != null && config == null; t = t.getCause() == t ? null : t.getCause()) {
      config = t instanceof ConfigException c ? c : null;
    }
    // Any message may quote a URL with its credentials (a driver's, an SDK's): stripped before it is shown anywhere.
    // ... and any may carry what a source wrote, escape sequences included: printable before it reaches the terminal.
    String message = PrintableText.of(UrlCredentials.strip(config != null ? "configuration error: " + config.getMessage()
        : "failed: " + e.getMessage()));
    cli.getErr().println(cli.getColorScheme().errorText("observes: " + message));
    LOG.debug("{} failed", cli.getCommandName(), UrlCredentials.strip(e));
    alert(parsed, message);
    return config != null ? CONFIG : FAILED;
  }

  private void alert(CommandLine.ParseResult parsed, String message) {
    try {
      Environment env = environment.get();
      Optional<Attempt> attempt = Attempt.of(env);
      if (attempt.isEmpty() || !attempt.get().last()) {
        return;
      }
      Optional<AlertWebhook> webhook = AlertWebhook.from(env, retries, ApiClient.defaultHttpClient(), clock);
      String command = AlertCommandLine.of(parsed);
      String text = ":red_circle: observes " + command + " failed at its last attempt (" + attempt.get().number()
          + attempt.get().of().map(n -> " of " + n).orElse("") + ", Batch job " + attempt.get().batchJob() + "): " + message;
      webhook.flatMap(w -> w.post(text)).ifPresent(why -> LOG.warn("the failure alert was not sent: {}", why));
    } catch (ConfigException bad) {
      LOG.warn("the failure alert was not sent: {}", bad.getMessage());
    }
  }
}
