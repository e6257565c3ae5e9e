package io.observes.state;

/**
 * Another run changed the state between this run's read and its write, so this run's write was
 * refused: its data is committed, but the state stays where the other run left it.
 */
public final class StateConflictException extends StateException {
  public StateConflictException(String message) {
    super(message);
  }
}
