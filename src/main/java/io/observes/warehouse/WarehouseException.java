package io.observes.warehouse;

/** A warehouse statement failed; the message says which and, where known, why and what to do. */
public final class WarehouseException extends RuntimeException {
  public WarehouseException(String message, Throwable cause) {
    super(message, cause);
  }

  public WarehouseException(String message) {
    super(message);
  }
}
