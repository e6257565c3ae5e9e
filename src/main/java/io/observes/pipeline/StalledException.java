package io.observes.pipeline;

/** A phase whose work reported no progress for longer than the stall limit was stopped; see {@link StallWatch}. */
public final class StalledException extends IllegalStateException {
  public StalledException(String message, Throwable cause) {
    super(message, cause);
  }
}
