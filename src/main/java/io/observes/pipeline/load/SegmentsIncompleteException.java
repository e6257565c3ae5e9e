package io.observes.pipeline.load;

import java.util.List;

/** Some segments of a run are missing or do not match; the message names them and the retry to run. */
public final class SegmentsIncompleteException extends RuntimeException {
  private final List<Integer> segments;

  public SegmentsIncompleteException(String message, List<Integer> segments) {
    super(message);
    this.segments = List.copyOf(segments);
  }

  /** {@code segments}: the first of them (the message names them all, in ranges). */
  public SegmentsIncompleteException(String message, int[] segments) {
    this(message, java.util.Arrays.stream(segments).boxed().toList());
  }

  /** The segments concerned, or the first of them when there are many. */
  public List<Integer> segments() {
    return segments;
  }
}
