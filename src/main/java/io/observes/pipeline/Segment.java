package io.observes.pipeline;

/** One of {@code total} slices of a job's work, numbered from 0 (a Batch node, an array child, a thread). */
public record Segment(int index, int total) {
  /**
   * The most segments a run may have: DynamoDB's Scan takes TotalSegments from 1 to 1,000,000
   * (Amazon DynamoDB API Reference, Scan, request parameter TotalSegments, "Valid Range: Minimum
   * value of 1. Maximum value of 1000000."; https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html).
   */
  public static final int MAX_TOTAL = 1_000_000;

  public Segment {
    requireTotal(total);
    if (index < 0 || index >= total) {
      throw new IllegalArgumentException("segment " + index + " is outside 0.." + (total - 1) + " of " + total + " segments");
    }
  }

  /** {@code total} when it is a number of segments a run may have, else why not. */
  public static int requireTotal(long total) {
    if (total < 1 || total > MAX_TOTAL) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the number of segments must be at least 1 "
          + "and at most %,d, DynamoDB's Scan TotalSegments maximum; was %,d", MAX_TOTAL, total));
    }
    return (int) total;
  }

  public static Segment only() {
    return new Segment(0, 1);
  }

  @Override
  public String toString() {
    return index + "/" + total;
  }
}
