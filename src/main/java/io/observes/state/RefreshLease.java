package io.observes.state;

import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The run lease of a refresh made of several processes: the phases of the dynamo ETL (one AWS Batch
 * job each) and the nodes of its segmented phases, which share one run id. They share one
 * acquisition too: the first process creates the lease, the others join it as it is (same token, so
 * the staging one phase prepares under it is published by a later one), and a process that finds
 * less than half the ttl left renews it, so a chain longer than one job's timeout keeps the lease
 * between its jobs. Only the process that ends the refresh releases it ({@link RunLease#release()}).
 *
 * <p>Another run's lease that lives is waited for, polled, up to a bound: an hourly incremental run
 * of a few minutes must not fail the nightly refresh that starts beside it. An expired lease of
 * another run is taken over, as {@link RunLease#acquire} does.
 */
public final class RefreshLease {
  private static final int ATTEMPTS = 5;

  /** Waits between two looks at a held lease; production sleeps, tests move a clock. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** How often to look again at a lease another run holds, and for how long at most. */
  public record Wait(Duration poll, Duration atMost) {
    public Wait {
      Objects.requireNonNull(poll, "poll");
      Objects.requireNonNull(atMost, "atMost");
      if (poll.isNegative() || poll.isZero() || atMost.isNegative()) {
        throw new IllegalArgumentException("a lease wait needs a positive poll and a bound not negative: " + poll
            + ", " + atMost);
      }
    }
  }

  private RefreshLease() {
  }

  /**
   * Creates, joins or renews the lease of {@code etl} for {@code run}, waiting while another run
   * holds it.
   *
   * @throws LeaseHeldException when another run still holds it after {@code wait}'s bound
   */
  public static RunLease join(ObjectStore store, String bucket, String etl, String run, Duration ttl, Clock clock,
      Wait wait, Pause pause) {
    return join(store, bucket, etl, run, ttl, clock, wait, pause, RunLease.localHost());
  }

  static RunLease join(ObjectStore store, String bucket, String etl, String run, Duration ttl, Clock clock,
      Wait wait, Pause pause, String host) {
    RunLease.requireLease(store, bucket, etl, run, ttl, clock);
    Objects.requireNonNull(wait, "wait");
    Objects.requireNonNull(pause, "pause");
    Instant deadline = clock.instant().plus(wait.atMost());
    while (true) {
      try {
        return once(store, RunLease.uri(bucket, etl), etl, run, ttl, clock.instant(), host);
      } catch (LeaseHeldException e) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          throw new LeaseHeldException(e.getMessage() + " Run " + run + " waited " + wait.atMost().toSeconds()
              + " s for it (OBSERVES_LEASE_WAIT_SECONDS).");
        }
        try {
          pause.sleep(left.compareTo(wait.poll()) < 0 ? left : wait.poll());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new StateException("run " + run + " was interrupted waiting for the run lease of " + etl, interrupted);
        }
      }
    }
  }

  private static RunLease once(ObjectStore store, S3Uri uri, String etl, String run, Duration ttl, Instant now,
      String host) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<StoredObject> current = store.readVersioned(uri);
      if (current.isEmpty()) {
        LeaseHolder ours = new LeaseHolder(run, now, now.plus(ttl), host, UUID.randomUUID().toString());
        if (store.putIfAbsent(uri, ours.toJson())) {
          return RunLease.of(store, uri, etl, ours, ours.toJson(), Optional.empty());
        }
        continue;
      }
      LeaseHolder theirs = LeaseHolder.parse(current.get().bytes(), uri, etl);
      if (theirs.run().equals(run) && !theirs.token().isEmpty()) {
        if (!theirs.expiresAt().isBefore(now.plus(ttl.dividedBy(2)))) {
          return RunLease.of(store, uri, etl, theirs, current.get().bytes(), Optional.empty());
        }
        LeaseHolder renewed = new LeaseHolder(run, theirs.acquiredAt(), now.plus(ttl), host, theirs.token());
        if (store.putIfMatch(uri, renewed.toJson(), current.get().etag())) {
          return RunLease.of(store, uri, etl, renewed, renewed.toJson(), Optional.empty());
        }
        continue; // another process of this run renewed it first: join that
      }
      if (!theirs.run().equals(run) && !theirs.expiredAt(now)) {
        throw RunLease.heldBy(uri, theirs, etl, run);
      }
      LeaseHolder ours = new LeaseHolder(run, now, now.plus(ttl), host, UUID.randomUUID().toString());
      if (store.putIfMatch(uri, ours.toJson(), current.get().etag())) {
        return RunLease.of(store, uri, etl, ours, ours.toJson(), Optional.of(theirs));
      }
    }
    throw new LeaseHeldException("run " + run + " could not take the run lease " + uri + ": it changed hands "
        + ATTEMPTS + " times while this run tried, so other runs of " + etl + " are starting at the same moment.");
  }
}
