package io.observes.pipeline;

/** One of {@code total} slices of a job's work, numbered from 0 (a Batch node, an array child, a thread). */
public record Segment(int index, int total) {
  public Segment {
    if (total < 1) {
      throw new IllegalArgumentException("the total number of segments must be at least 1, was " + total);
    }
    if (index < 0 || index >= total) {
      throw new IllegalArgumentException("segment " + index + " is outside 0.." + (total - 1) + " of " + total + " segments");
    }
  }

  public static Segment only() {
    return new Segment(0, 1);
  }

  @Override
  public String toString() {
    return index + "/" + total;
  }
}
