package io.observes.etl.gitlab;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code updated_at} intervals of one project's stream that earlier runs loaded, as
 * {@code (from, to]} (a null {@code from}: since the beginning), kept merged: a run appends the
 * interval it covered, and adjacent intervals join, so a steady ETL holds one.
 */
record Covered(@JsonProperty("intervals") List<Interval> intervals) {
  /** {@code (from, to]}; {@code from} null is the beginning of the project's history. */
  record Interval(@JsonProperty("from") Instant from, @JsonProperty("to") Instant to) {
    Interval {
      Objects.requireNonNull(to, "to");
      if (from != null && !from.isBefore(to)) {
        throw new IllegalArgumentException("an interval (" + from + ", " + to + "] is empty");
      }
    }
  }

  Covered {
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
  }

  static Covered none() {
    return new Covered(List.of());
  }

  /** Where the next run starts: the end of what is covered, else {@code since} (null: the beginning). */
  Instant resumeFrom(Instant since) {
    return intervals.isEmpty() ? since : intervals.get(intervals.size() - 1).to();
  }

  /** This coverage with {@code (from, to]} added and touching intervals joined. */
  Covered plus(Instant from, Instant to) {
    if (from != null && !from.isBefore(to)) {
      return this;
    }
    List<Interval> all = new ArrayList<>(intervals);
    all.add(new Interval(from, to));
    all.sort(Comparator.comparing(Interval::from, Comparator.nullsFirst(Comparator.naturalOrder())));
    List<Interval> merged = new ArrayList<>();
    for (Interval next : all) {
      Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && (next.from() == null || !next.from().isAfter(last.to()))) {
        Instant to2 = last.to().isAfter(next.to()) ? last.to() : next.to();
        merged.set(merged.size() - 1, new Interval(last.from(), to2));
      } else {
        merged.add(next);
      }
    }
    return new Covered(merged);
  }
}
