package io.observes.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.storage.S3Uri;
import java.time.Instant;
import java.util.Objects;

/**
 * What a run lease object says: which run holds it, since and until when, and on which host (for
 * the person who has to decide whether that run is dead), and the token of this one acquisition.
 * Stored as {@code {"run", "acquired_at", "expires_at", "host", "token"}}.
 *
 * <p>The token (a random UUID drawn at each acquisition) tells two acquisitions apart even when
 * they name the same run (a retried Batch attempt takes its own job's lease over): a staging schema
 * records it, and is published only while the lease still carries it. A lease written before
 * tokens existed reads with the token {@code ""}, which no acquisition draws.
 */
public record LeaseHolder(String run, Instant acquiredAt, Instant expiresAt, String host, String token) {
  public LeaseHolder {
    Names.run(run);
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    if (!expiresAt.isAfter(acquiredAt)) {
      throw new IllegalArgumentException("a lease must expire after it is acquired: " + acquiredAt + " to " + expiresAt);
    }
  }

  /** Expired leases may be taken over; the holder's own clock wrote {@code expiresAt}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** "run R (host H) since T until E", for messages. */
  String describe() {
    return "run " + run + " (host " + host + ") since " + acquiredAt + " until " + expiresAt;
  }

  byte[] toJson() {
    ObjectNode document = StateJson.object();
    document.put("run", run);
    document.put("acquired_at", acquiredAt.toString());
    document.put("expires_at", expiresAt.toString());
    document.put("host", host);
    document.put("token", token);
    return StateJson.write(document);
  }

  static LeaseHolder parse(byte[] bytes, S3Uri uri, String etl) {
    StateJson.Reader lease = StateJson.Reader.of(bytes, uri, "run lease",
        "if no run of " + etl + " is in progress, delete it (the next run then takes a new lease)");
    String run = lease.text("run");
    Instant acquiredAt = lease.instant("acquired_at");
    Instant expiresAt = lease.instant("expires_at");
    String host = lease.text("host");
    String token = lease.optionalText("token").orElse("");
    if (!expiresAt.isAfter(acquiredAt)) {
      throw lease.invalid("it expires (" + expiresAt + ") before it was acquired (" + acquiredAt + ")");
    }
    return new LeaseHolder(run, acquiredAt, expiresAt, host, token);
  }
}
