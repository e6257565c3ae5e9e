package io.observes.pipeline;

import io.observes.state.RunLease;
import io.observes.warehouse.LeaseCheck;
import java.util.Objects;

/**
 * The run lease a run prepares and publishes its staging under: the token the staging's owner row
 * records, and the check, run inside the warehouse transactions under the target's lock, that the
 * lease still carries it ({@link LeaseCheck}). Runs without a lease use {@link #NONE}.
 */
public record LeaseGuard(String token, LeaseCheck check) {
  public static final LeaseGuard NONE = new LeaseGuard(null, LeaseCheck.NONE);

  public LeaseGuard {
    Objects.requireNonNull(check, "check");
  }

  /** Guarded by {@code lease}: the staging is published only while the lease object is this acquisition's. */
  public static LeaseGuard of(RunLease lease) {
    return new LeaseGuard(lease.token(), token -> {
      if (token == null) {
        // Prepared before its run held a lease (a refresh staged by the release before leases): the
        // lease this run holds now is what keeps another run from publishing beside it.
        lease.verifyHeld();
      } else {
        lease.verifyCurrent(token, "publishes nothing");
      }
    });
  }
}
