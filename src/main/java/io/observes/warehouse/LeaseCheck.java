package io.observes.warehouse;

/**
 * Whether the run lease a staging schema was prepared under (the token its owner row records) is
 * still the current one. The warehouse asks it inside the transactions that prepare, swap or merge
 * that staging, while they hold the target's lock, right before they commit: it reads the lease as
 * it is now (an S3 object) and throws when another run took it over, or nobody holds it.
 *
 * <p>Why under the lock: a run that takes the lease over after this check must take the same lock
 * to publish, so it publishes after this transaction committed, never before it; its rows, read
 * after it took the lease, then replace this run's. Checked outside the lock (before the
 * transaction), the newer run could publish between the check and the commit and be overwritten.
 */
@FunctionalInterface
public interface LeaseCheck {
  /** For stagings prepared without a lease; one that names a lease is refused, its run must publish it. */
  LeaseCheck NONE = token -> {
    if (token != null) {
      throw new WarehouseException("the staging schema was prepared under run lease " + token + ": only the run "
          + "holding that lease publishes it");
    }
  };

  /**
   * @param token the lease token the staging's owner row records (null: prepared without a lease)
   * @throws RuntimeException saying which run holds the lease now, when it is not {@code token}'s
   */
  void verify(String token);
}
