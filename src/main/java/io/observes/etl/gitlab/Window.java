package io.observes.etl.gitlab;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code updated_at} window of a list walk, as GitLab's {@code updated_after} and
 * {@code updated_before} (both inclusive) bound it: {@code after} null is the beginning of the
 * history. {@code floor} is where its span starts for sizing: {@code after}, or, from the beginning,
 * the oldest object's {@code updated_at} once a page showed it (null until then).
 *
 * <p>GitLab counts a list ({@code X-Total}) only up to 10,000 objects, and a walk needs the count to
 * see offset pages shift under it. A window it does not count is halved ({@link #firstHalf}); a
 * window walked sizes the next from its density ({@link #next}) to hold about {@link #TARGET}
 * objects, so dense stretches get short windows and sparse ones are walked as one long window.
 */
record Window(Instant after, Instant floor, Instant before) {
  /**
   * Objects a window is sized to hold: half of what GitLab counts, so the density may double from
   * one window to the next before a window has to be halved (one request lost).
   */
  static final long TARGET = 5_000;
  /** The shortest window: more than 10,000 objects updated within it cannot be walked with a count. */
  static final Duration FINEST = Duration.ofSeconds(1);

  Window {
    Objects.requireNonNull(before, "before");
    if (after != null && !after.equals(floor)) {
      throw new IllegalArgumentException("a window after " + after + " starts its span there, not at " + floor);
    }
    if (floor != null && floor.isAfter(before)) {
      throw new IllegalArgumentException("a window (" + floor + ", " + before + "] ends before it starts");
    }
  }

  /** All of {@code (from, to]}: the first window a walk tries. */
  static Window whole(Instant from, Instant to) {
    return new Window(from, from, to);
  }

  /** This window from the beginning, its span starting at {@code oldest} (the oldest object's update). */
  Window spanFrom(Instant oldest) {
    if (after != null) {
      throw new IllegalStateException("the span of " + this + " starts at its bound");
    }
    return new Window(null, oldest.isAfter(before) ? before : oldest, before);
  }

  /** True when this window cannot be halved any more: its span is {@link #FINEST} or less. */
  boolean finest() {
    return floor != null && Duration.between(floor, before).compareTo(FINEST) <= 0;
  }

  /** The earlier half of this window (to the millisecond, as GitLab shows times). */
  Window firstHalf() {
    if (floor == null) {
      throw new IllegalStateException("the span of " + this + " is not known yet");
    }
    Instant middle = floor.plus(Duration.between(floor, before).dividedBy(2)).truncatedTo(ChronoUnit.MILLIS);
    return new Window(after, floor, middle.isAfter(floor) ? middle : floor.plusMillis(1));
  }

  /**
   * The window after this one, which held {@code count} objects, up to {@code to}: sized to hold
   * about {@link #TARGET} at this window's density (all the rest when this one was empty); none when
   * this one reached {@code to}.
   */
  Optional<Window> next(long count, Instant to) {
    if (!before.isBefore(to)) {
      return Optional.empty();
    }
    Instant end = to;
    if (count > 0 && floor != null) {
      double millis = Math.max(FINEST.toMillis(), (double) Duration.between(floor, before).toMillis() * TARGET / count);
      if (millis < Duration.between(before, to).toMillis()) {
        end = before.plusMillis((long) millis);
      }
    }
    return Optional.of(new Window(before, before, end));
  }

  @Override
  public String toString() {
    return "(" + (after == null ? "the beginning" : after) + ", " + before + "]";
  }
}
