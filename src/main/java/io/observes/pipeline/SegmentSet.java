package io.observes.pipeline;

import java.util.BitSet;
import java.util.Locale;

/**
 * Segment numbers, as a run's reports name them: one bit each (a million segments in 125 KB, not a
 * list of boxed numbers), shown as ranges ({@code [0-4, 6, 8-9]}) and at most {@link #SHOWN_RANGES}
 * of them, so a report on a million segments stays a line. Not thread-safe by itself.
 */
public final class SegmentSet {
  /** Ranges shown before the rest is summarised. */
  static final int SHOWN_RANGES = 20;

  private final BitSet bits = new BitSet();

  public void add(int segment) {
    bits.set(segment);
  }

  /** Every segment of {@code 0 .. total-1} not in this set. */
  public SegmentSet complement(int total) {
    SegmentSet rest = new SegmentSet();
    rest.bits.set(0, total);
    rest.bits.andNot(bits);
    return rest;
  }

  /** The segments of this set not in {@code other}. */
  public SegmentSet minus(SegmentSet other) {
    SegmentSet rest = new SegmentSet();
    rest.bits.or(bits);
    rest.bits.andNot(other.bits);
    return rest;
  }

  public boolean contains(int segment) {
    return bits.get(segment);
  }

  public int size() {
    return bits.cardinality();
  }

  public boolean isEmpty() {
    return bits.isEmpty();
  }

  /** The lowest segment in the set, or -1. */
  public int first() {
    return bits.nextSetBit(0);
  }

  /** The segments in order, at most {@code limit} of them. */
  public int[] first(int limit) {
    return bits.stream().limit(limit).toArray();
  }

  /** {@code [0-4, 6, 8-9]}; past {@link #SHOWN_RANGES} ranges, {@code ... (N in all)}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    int ranges = 0;
    for (int start = bits.nextSetBit(0); start >= 0; start = bits.nextSetBit(bits.nextClearBit(start))) {
      int end = bits.nextClearBit(start) - 1;
      if (ranges == SHOWN_RANGES) {
        text.append(String.format(Locale.ROOT, ", ... (%,d in all)", size()));
        break;
      }
      text.append(ranges++ == 0 ? "" : ", ").append(start).append(end == start ? "" : "-" + end);
    }
    return text.append(']').toString();
  }
}
