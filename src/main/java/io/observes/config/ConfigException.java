package io.observes.config;

/** Configuration is missing or wrong; the CLI exits with 2 and this message says what to set. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
