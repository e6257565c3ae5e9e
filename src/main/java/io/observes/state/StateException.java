package io.observes.state;

/** An ETL's state or run lease cannot be used; the message names the S3 object and what to do. */
public class StateException extends RuntimeException {
  public StateException(String message) {
    super(message);
  }

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
