package io.observes.state;

/** Another run of the same ETL holds its run lease (or took it over from this run). */
public final class LeaseHeldException extends StateException {
  public LeaseHeldException(String message) {
    super(message);
  }
}
