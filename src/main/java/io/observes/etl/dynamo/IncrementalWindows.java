package io.observes.etl.dynamo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The incremental exports that cover [from, until): DynamoDB takes windows of 15 minutes to 24 hours
 * ({@code ExportFromTime} inclusive, {@code ExportToTime} exclusive). The span is cut into the fewest
 * windows of at most 24 hours, of equal length in whole seconds, so none is shorter than 15 minutes
 * when the span is longer than a day; a span shorter than 15 minutes gives no window (the next run
 * takes it). Consecutive windows share their edges, so nothing between them is left out.
 */
public final class IncrementalWindows {
  public static final Duration SHORTEST = Duration.ofMinutes(15);
  public static final Duration LONGEST = Duration.ofHours(24);

  /** One export's window. */
  public record Window(Instant from, Instant to) {
    public Window {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Duration length = Duration.between(from, to);
      if (length.compareTo(SHORTEST) < 0 || length.compareTo(LONGEST) > 0) {
        throw new IllegalArgumentException("an incremental export's window is 15 minutes to 24 hours, not " + length
            + " (" + from + " to " + to + ")");
      }
    }
  }

  private IncrementalWindows() {}

  /** The windows from {@code from} to {@code until} (both cut to whole seconds); empty when less than 15 minutes. */
  public static List<Window> plan(Instant from, Instant until) {
    Instant start = from.truncatedTo(ChronoUnit.SECONDS);
    Instant end = until.truncatedTo(ChronoUnit.SECONDS);
    long seconds = Duration.between(start, end).toSeconds();
    if (seconds < SHORTEST.toSeconds()) {
      return List.of();
    }
    long count = (seconds + LONGEST.toSeconds() - 1) / LONGEST.toSeconds();
    List<Window> windows = new ArrayList<>();
    Instant at = start;
    for (long i = 1; i <= count; i++) {
      // The i-th edge at i/count of the span: lengths differ by a second at most, the last ends at the end.
      Instant to = start.plusSeconds(seconds * i / count);
      windows.add(new Window(at, to));
      at = to;
    }
    return windows;
  }
}
