package io.observes.pipeline;

import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Where the nodes of a multi-node phase say how their segment ended:
 * {@code s3://<data>/<etl>/<run>/_status/<phase>/segment-<i>} holding {@code DONE} or
 * {@code FAILED <attempt>: <reason>}. AWS Batch decides a multi-node job's status by its main node
 * alone and does not act on a child's death, so the main node reads this board before it exits.
 * A failure counts only in the attempt that wrote it: in a retried job, the previous attempt's
 * failure means "not reported yet", not "failed".
 */
public final class SegmentBoard {
  /** How a segment's phase ended, or that it has not said yet. */
  public enum State {
    DONE,
    FAILED,
    MISSING
  }

  /** Waits the given milliseconds (Thread.sleep in production). */
  public interface Pause {
    void millis(long millis) throws InterruptedException;
  }

  private final ObjectStore store;
  private final S3Uri runRoot;

  public SegmentBoard(ObjectStore store, S3Uri runRoot) {
    this.store = Objects.requireNonNull(store, "store");
    this.runRoot = Objects.requireNonNull(runRoot, "runRoot");
  }

  private S3Uri marker(String phase, int segment) {
    return runRoot.resolve("_status/" + phase + "/segment-" + segment);
  }

  public void done(String phase, int segment) {
    store.put(marker(phase, segment), "DONE".getBytes(StandardCharsets.UTF_8));
  }

  public void failed(String phase, int segment, int attempt, String reason) {
    store.put(marker(phase, segment), ("FAILED " + attempt + ": " + reason).getBytes(StandardCharsets.UTF_8));
  }

  /** The segment's state as seen by {@code attempt}. */
  public State state(String phase, int segment, int attempt) {
    Optional<byte[]> bytes = store.read(marker(phase, segment));
    if (bytes.isEmpty()) {
      return State.MISSING;
    }
    String text = new String(bytes.get(), StandardCharsets.UTF_8);
    if (text.startsWith("DONE")) {
      return State.DONE;
    }
    return text.startsWith("FAILED " + attempt + ":") ? State.FAILED : State.MISSING;
  }

  /** The reason a segment failed, as its node wrote it. */
  public String reason(String phase, int segment) {
    return store.read(marker(phase, segment)).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("no status");
  }

  /**
   * Polls until every segment has said DONE or FAILED, or {@code timeout} passes; returns each
   * segment's last state (MISSING for the ones that never said).
   */
  public Map<Integer, State> await(String phase, int total, int attempt, Duration timeout, Duration poll,
      LongSupplier clockMillis, Pause pause) {
    long deadline = clockMillis.getAsLong() + timeout.toMillis();
    Map<Integer, State> states = new LinkedHashMap<>();
    while (true) {
      for (int i = 0; i < total; i++) {
        if (states.get(i) == null || states.get(i) == State.MISSING) {
          states.put(i, state(phase, i, attempt));
        }
      }
      if (!states.containsValue(State.MISSING) || clockMillis.getAsLong() >= deadline) {
        return states;
      }
      try {
        pause.millis(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the other nodes", e);
      }
    }
  }
}
