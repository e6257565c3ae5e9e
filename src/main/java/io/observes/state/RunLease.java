package io.observes.state;

import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The right of one run to work on an ETL: {@code s3://<bucket>/<etl>/run.lease}, created only if
 * absent, so two runs of one ETL started together cannot both do the work. A lease past its expiry
 * may be taken over (its run is presumed dead), and a rerun of the same run id takes its own lease
 * over at once (the attempt before it died, or is about to find out it lost).
 *
 * <p>The state's own conditional write keeps a run that lost its lease from moving the state: it is
 * refused by {@link StateStore#write} (call {@link #verifyHeld()} before, for the clearer message).
 * The warehouse is kept by {@link #verifyCurrent}: each acquisition draws a token, the run's staging
 * schema records it, and the transactions that prepare and publish that staging check, while they
 * hold the target's warehouse lock, that the lease object carries it still. A run that stalled past
 * its lease and was taken over therefore publishes nothing over the newer run's rows.
 *
 * <p>Expiry compares the clock of the run taking over with the expiry written by the holder's
 * clock, so the ttl must be far longer than a run and than any clock skew between hosts.
 *
 * <p>One run's lease, used from the thread that runs it; not meant to be shared between threads.
 */
public final class RunLease implements AutoCloseable {
  /**
   * Every failed attempt means the lease changed hands between this run's read and its write (it
   * was released, or another run took it over first); a few rounds settle any real contention.
   */
  private static final int ATTEMPTS = 5;

  private final ObjectStore store;
  private final S3Uri uri;
  private final String etl;
  private final LeaseHolder holder;
  private final byte[] document;
  private final Optional<LeaseHolder> tookOverFrom;
  private boolean released;

  private RunLease(ObjectStore store, S3Uri uri, String etl, LeaseHolder holder, byte[] document,
      Optional<LeaseHolder> tookOverFrom) {
    this.store = store;
    this.uri = uri;
    this.etl = etl;
    this.holder = holder;
    this.document = document;
    this.tookOverFrom = tookOverFrom;
  }

  /**
   * Takes the run lease of {@code etl} for {@code run}, until {@code ttl} from now.
   *
   * @throws LeaseHeldException when another run holds a lease that has not expired
   * @throws StateException when the lease object exists but cannot be read
   */
  public static RunLease acquire(ObjectStore store, String bucket, String etl, String run, Duration ttl, Clock clock) {
    return acquire(store, bucket, etl, run, ttl, clock, localHost());
  }

  static RunLease acquire(ObjectStore store, String bucket, String etl, String run, Duration ttl, Clock clock,
      String host) {
    requireLease(store, bucket, etl, run, ttl, clock);
    S3Uri uri = uri(bucket, etl);
    Instant now = clock.instant();
    LeaseHolder ours = new LeaseHolder(run, now, now.plus(ttl), host, UUID.randomUUID().toString());
    byte[] document = ours.toJson();

    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (store.putIfAbsent(uri, document)) {
        return new RunLease(store, uri, etl, ours, document, Optional.empty());
      }
      Optional<StoredObject> current = store.readVersioned(uri);
      if (current.isEmpty()) {
        continue; // released between our create and our read: create again
      }
      if (Arrays.equals(current.get().bytes(), document)) {
        // Our own create landed and its answer was lost; the client's retry was refused by it.
        return new RunLease(store, uri, etl, ours, document, Optional.empty());
      }
      LeaseHolder theirs = LeaseHolder.parse(current.get().bytes(), uri, etl);
      if (!theirs.run().equals(run) && !theirs.expiredAt(now)) {
        throw heldBy(uri, theirs, etl, run);
      }
      if (store.putIfMatch(uri, document, current.get().etag())) {
        return new RunLease(store, uri, etl, ours, document, Optional.of(theirs));
      }
      // Someone else took it over or released it between our read and our write: look again.
    }
    throw new LeaseHeldException("run " + run + " could not take the run lease " + uri + ": it changed hands " + ATTEMPTS
        + " times while this run tried, so other runs of " + etl + " are starting at the same moment. Wait for them "
        + "to finish and start this run again.");
  }

  /** A lease read or written by {@link RefreshLease}, whose runs share one acquisition. */
  static RunLease of(ObjectStore store, S3Uri uri, String etl, LeaseHolder holder, byte[] document,
      Optional<LeaseHolder> tookOverFrom) {
    return new RunLease(store, uri, etl, holder, document, tookOverFrom);
  }

  /** The checks every way of taking a lease makes of what it was given. */
  static void requireLease(ObjectStore store, String bucket, String etl, String run, Duration ttl, Clock clock) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(bucket, "bucket");
    Names.etl(etl);
    Names.run(run);
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a run lease needs a positive ttl, not " + ttl);
    }
  }

  static S3Uri uri(String bucket, String etl) {
    return new S3Uri(bucket, etl + "/run.lease");
  }

  static LeaseHeldException heldBy(S3Uri uri, LeaseHolder theirs, String etl, String run) {
    return new LeaseHeldException("the run lease " + uri + " is held by " + theirs.describe() + ": another run of "
        + etl + " is in progress, so run " + run + " does not start. Wait for it to finish; if that run is dead, "
        + "delete " + uri + " (the lease also expires by itself at " + theirs.expiresAt() + ").");
  }

  public S3Uri uri() {
    return uri;
  }

  /** This run's lease as written. */
  public LeaseHolder holder() {
    return holder;
  }

  /** The expired lease (or this run id's earlier lease) this one replaced, if any: worth logging. */
  public Optional<LeaseHolder> tookOverFrom() {
    return tookOverFrom;
  }

  /**
   * Checks that the lease is still this run's; call it just before writing the state. A lease past
   * its expiry that nobody took over is still held: only a takeover ends it.
   *
   * @throws LeaseHeldException when another run (or a rerun of this run id) took the lease over
   * @throws StateException when the lease was deleted or cannot be read
   */
  public void verifyHeld() {
    if (released) {
      throw new IllegalStateException("run " + holder.run() + " already released " + uri);
    }
    Optional<StoredObject> current = store.readVersioned(uri);
    String consequence = " Another run of " + etl + " may be working: this run's data is committed, but this run "
        + "must not advance the state, so the next run re-reads the same interval.";
    if (current.isEmpty()) {
      throw new StateException("run " + holder.run() + " no longer holds the run lease " + uri + ": it was deleted "
          + "(by hand, or by the end of a run that had taken it over)." + consequence);
    }
    if (Arrays.equals(current.get().bytes(), document)) {
      return;
    }
    LeaseHolder taker = LeaseHolder.parse(current.get().bytes(), uri, etl);
    if (sameAcquisition(taker)) {
      return; // renewed by another process of this run (RefreshLease)
    }
    throw new LeaseHeldException("run " + holder.run() + " lost the run lease " + uri + ", taken " + holder.acquiredAt()
        + " and expiring " + holder.expiresAt() + ": it is now held by " + taker.describe() + "." + consequence
        + " If runs of " + etl + " outlast the lease, give it a longer ttl.");
  }

  /** The token this acquisition drew: what a staging schema prepared under this lease records. */
  public String token() {
    return holder.token();
  }

  /**
   * Checks, by reading the lease object now, that it still carries {@code token}, the token of this
   * acquisition that the run's staging recorded. Called inside the warehouse transactions that
   * prepare and publish the staging, while they hold the target's lock; see {@code LeaseCheck}.
   *
   * @param consequence what the refused run does not do, for the message ("publishes nothing")
   * @throws LeaseHeldException when another run holds the lease now, or {@code token} is not this
   *     acquisition's; a {@link StateException} when no run holds it (released, or deleted)
   */
  public void verifyCurrent(String token, String consequence) {
    Objects.requireNonNull(token, "token");
    String lost = "run " + holder.run() + " lost the run lease " + uri + " (taken " + holder.acquiredAt() + ", expiring "
        + holder.expiresAt() + ")";
    String why = ": a run that took the lease over reads the source after this one did, so its rows must not be "
        + "replaced by this run's older ones. If runs of " + etl + " outlast the lease, give it a longer ttl "
        + "(OBSERVES_JOB_TIMEOUT_SECONDS).";
    if (!token.equals(holder.token())) {
      throw new LeaseHeldException(lost + ": the staging it works on was prepared under another acquisition of the "
          + "lease (token " + token + "), so it " + consequence + why);
    }
    Optional<StoredObject> current = store.readVersioned(uri);
    if (current.isEmpty()) {
      throw new LeaseHeldException(lost + ": no run holds it now (the run that took it over has ended, or it was "
          + "deleted by hand), so run " + holder.run() + " " + consequence + why);
    }
    if (Arrays.equals(current.get().bytes(), document)) {
      return;
    }
    LeaseHolder now = LeaseHolder.parse(current.get().bytes(), uri, etl);
    if (!now.token().equals(token)) {
      throw new LeaseHeldException(lost + ": it is held by " + now.describe() + ", so run " + holder.run() + " "
          + consequence + why);
    }
  }

  /**
   * Deletes the lease if it is still this run's. True when deleted; false when another run holds
   * it now, it is gone, or it was released already (so a second call does nothing).
   */
  public boolean release() {
    if (released) {
      return false;
    }
    Optional<StoredObject> current = store.readVersioned(uri);
    if (current.isEmpty() || !(Arrays.equals(current.get().bytes(), document) || renewal(current.get()))) {
      released = true;
      return false;
    }
    // Between this read and the delete another run can take the lease over only if it expires in
    // that instant, or a rerun of this run id starts in it. Deleting that run's lease then lets a
    // third run start beside it: an overlap that costs a duplicate fetch, never a lost state, since
    // the state's conditional write refuses the later writer. S3 also offers If-Match on
    // DeleteObject, which would close the window; ObjectStore does not have it yet.
    store.delete(uri);
    released = true;
    return true;
  }

  /** The same run and token: this acquisition, whatever its expiry now says. */
  private boolean sameAcquisition(LeaseHolder other) {
    return other.run().equals(holder.run()) && !holder.token().isEmpty() && other.token().equals(holder.token());
  }

  private boolean renewal(StoredObject current) {
    try {
      return sameAcquisition(LeaseHolder.parse(current.bytes(), uri, etl));
    } catch (StateException | IllegalArgumentException e) {
      return false; // not a lease at all: never deleted by a run
    }
  }

  /** {@link #release()}: a lease in try-with-resources ends with its block. */
  @Override
  public void close() {
    release();
  }

  /** The host name, only for the person reading a held lease; never fails acquiring. */
  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }
}
