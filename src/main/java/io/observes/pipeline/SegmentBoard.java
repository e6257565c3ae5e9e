package io.observes.pipeline;

import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** How the segments of a phase stood when the wait ended: the ones that failed, and the ones that never said. */
  public record Outcome(int total, SegmentSet failed, SegmentSet silent) {}

  /**
   * Polls until every segment has said DONE or FAILED, or {@code timeout} passes. Each poll lists
   * the phase's markers once and reads only the ones not read as ended before, so a poll costs a
   * listing page per thousand segments, not a request per segment, and nothing is kept per segment
   * but a bit.
   */
  public Outcome await(String phase, int total, int attempt, Duration timeout, Duration poll, LongSupplier clockMillis,
      Pause pause) {
    Segment.requireTotal(total);
    long deadline = clockMillis.getAsLong() + timeout.toMillis();
    SegmentSet done = new SegmentSet();
    SegmentSet failed = new SegmentSet();
    S3Uri markers = runRoot.resolve("_status/" + phase + "/");
    while (true) {
      store.forEachKey(markers, key -> {
        Matcher m = MARKER.matcher(key.key().substring(markers.key().length()));
        if (!m.matches() || m.group(1).length() > 7) {
          return;
        }
        int segment = Integer.parseInt(m.group(1));
        if (segment < total && !done.contains(segment) && !failed.contains(segment)) {
          State state = state(phase, segment, attempt);
          if (state == State.DONE) {
            done.add(segment);
          } else if (state == State.FAILED) {
            failed.add(segment);
          }
        }
      });
      boolean all = done.size() + failed.size() == total;
      if (all || clockMillis.getAsLong() >= deadline) {
        return new Outcome(total, failed, done.complement(total).minus(failed));
      }
      try {
        pause.millis(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the other nodes", e);
      }
    }
  }

  /** {@code segment-<i>}, as {@link #marker} names it. */
  private static final Pattern MARKER = Pattern.compile("segment-(0|[1-9][0-9]*)");
}
