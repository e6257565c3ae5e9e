package io.observes.pipeline.load;

import java.util.List;

/** Some segments of a run are missing or do not match; the message names them and the retry to run. */
public final class SegmentsIncompleteException extends RuntimeException {
  private final List<Integer> segments;

  public SegmentsIncompleteException(String message, List<Integer> segments) {
    super(message);
    this.segments = List.copyOf(segments);
  }

  public List<Integer> segments() {
    return segments;
  }
}
