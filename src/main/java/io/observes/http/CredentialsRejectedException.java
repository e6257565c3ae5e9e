package io.observes.http;

import io.observes.config.ConfigException;

/**
 * The API rejected the credentials (401, still after renewing a renewable token): only new
 * credentials help, so this is a configuration error, and its message says which to set.
 */
public final class CredentialsRejectedException extends ConfigException {
  public CredentialsRejectedException(String message) {
    super(message);
  }
}
