package io.observes.storage;

/** Object storage failed after the client's retries; the message names the object and a remedy. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
