package io.observes.secrets;

import io.observes.config.ConfigException;

/** The secrets file cannot be read, opened or trusted; the message says what to set or fix and never holds a value. */
public final class SecretsException extends ConfigException {
  public SecretsException(String message) {
    super(message);
  }
}
