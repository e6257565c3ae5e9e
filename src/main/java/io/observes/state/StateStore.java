package io.observes.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.config.Buckets;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The persisted state of one ETL, {@code s3://<state bucket>/<etl>/state.json}: where its last
 * run got to (a cursor, the end of the fetched interval), in whatever JSON object the ETL owns.
 *
 * <p>The document is versioned: {@code {"format": 1, "etl": ..., "run": <run that wrote it>,
 * "written_at": <ISO instant>, "data": {...}}}. Writes are conditional on the version the run read
 * (If-Match its ETag, or If-None-Match when there was none), so a run that read an older state can
 * never overwrite a newer one. A document this code cannot read is an error, never "no state":
 * treating it as missing would silently restart the ETL from the beginning of its history.
 */
public final class StateStore {
  /** The format this code writes, and the newest it reads. */
  public static final int FORMAT = 1;

  private static final String FIX_OR_DELETE =
      "fix or delete it (deleting it makes the next run a first run, fetching the whole history)";

  private final ObjectStore store;
  private final String etl;
  private final S3Uri uri;

  public StateStore(ObjectStore store, String bucket, String etl) {
    this.store = Objects.requireNonNull(store, "store");
    this.etl = Names.etl(etl);
    this.uri = new S3Uri(Objects.requireNonNull(bucket, "bucket"), etl + "/state.json");
  }

  /** The state of {@code etl} in the configured state bucket. */
  public static StateStore of(ObjectStore store, Buckets buckets, String etl) {
    return new StateStore(store, buckets.state(), etl);
  }

  /** Where the state is kept. */
  public S3Uri uri() {
    return uri;
  }

  /**
   * The current state, or empty when there is none (the ETL's first run).
   *
   * @throws StateException when the object exists but is not a state document of this ETL in a
   *     format this code reads
   */
  public Optional<StateVersion> read() {
    return store.readVersioned(uri).map(this::parse);
  }

  /**
   * Writes {@code data} as the new state, replacing {@code expected} (the version this run read;
   * empty when it found none) and nothing else.
   *
   * @throws StateConflictException when the state is no longer {@code expected}: another run wrote
   *     (or deleted) it since this run read it
   */
  public void write(JsonNode data, Optional<StateVersion> expected, String run, Instant now) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(expected, "expected");
    Names.run(run);
    Objects.requireNonNull(now, "now");
    if (!data.isObject()) {
      throw new IllegalArgumentException("the state of ETL " + etl + " must be a JSON object, not a JSON "
          + data.getNodeType().name().toLowerCase());
    }
    ObjectNode document = StateJson.object();
    document.put("format", FORMAT);
    document.put("etl", etl);
    document.put("run", run);
    document.put("written_at", now.toString());
    document.set("data", data);
    byte[] bytes = StateJson.write(document);

    boolean written = expected.isPresent()
        ? store.putIfMatch(uri, bytes, expected.get().etag())
        : store.putIfAbsent(uri, bytes);
    if (!written && !holds(bytes)) {
      throw conflict(expected, run);
    }
  }

  /**
   * Whether the object holds exactly {@code bytes}. A PUT whose first attempt landed but whose
   * answer was lost is retried by the client and refused by its own write; finding this very
   * document (which names this run and this instant) there means the write happened.
   */
  private boolean holds(byte[] bytes) {
    return store.readVersioned(uri).map(current -> Arrays.equals(current.bytes(), bytes)).orElse(false);
  }

  private StateConflictException conflict(Optional<StateVersion> expected, String run) {
    String read = expected.map(v -> "the version written by run " + v.run() + " at " + v.writtenAt())
        .orElse("no state");
    String now;
    try {
      now = read().map(v -> "it now holds the version written by run " + v.run() + " at " + v.writtenAt())
          .orElse("it has been deleted since");
    } catch (StateException e) {
      now = "what it holds now cannot be read (" + e.getMessage() + ")";
    }
    return new StateConflictException("run " + run + " did not advance the state of ETL " + etl + ": another run changed "
        + uri + " since this run read it (this run read " + read + "; " + now + "). This run's data is committed but "
        + "the state was not advanced, so the next run re-reads the same interval, which merge loads make harmless. "
        + "If this happens often, two runs of " + etl + " overlap: make each run hold the run lease.");
  }

  private StateVersion parse(StoredObject object) {
    StateJson.Reader document = StateJson.Reader.of(object.bytes(), uri, "state document", FIX_OR_DELETE);
    int format = document.integer("format");
    if (format > FORMAT) {
      throw new StateException(uri + " is in state format " + format + ", newer than format " + FORMAT + " which this "
          + "version of Observes reads: it was written by a newer version; run that version (or a newer one), and keep "
          + "the object (deleting it would make the next run a first run, fetching the whole history)");
    }
    if (format < 1) {
      throw document.invalid("\"format\" is " + format + ", and formats start at 1");
    }
    String owner = document.text("etl");
    if (!owner.equals(etl)) {
      throw document.invalid("it is the state of ETL '" + owner + "', not of '" + etl + "' (copied from another ETL's key?)");
    }
    String run = document.text("run");
    Instant writtenAt = document.instant("written_at");
    ObjectNode data = document.object("data");
    return new StateVersion(data, object.etag(), run, writtenAt);
  }
}
