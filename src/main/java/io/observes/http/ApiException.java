package io.observes.http;

/**
 * An API call failed: the API answered with an error ({@link #status} is the HTTP status), could
 * not be reached after every retry, or answered something that is not what it documents
 * ({@link #status} 0). The message names the service and the call, quotes the API's own error
 * text, and never contains a credential.
 */
public class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the API answered with, or 0 when there was no (usable) answer. */
  public int status() {
    return status;
  }
}
