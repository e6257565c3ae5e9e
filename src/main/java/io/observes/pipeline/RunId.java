package io.observes.pipeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one refresh of a target; every phase and segment of it shares the id. It appears in S3 keys
 * and the run log, so it is restricted to {@code [A-Za-z0-9._-]}.
 */
public record RunId(String value) {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public RunId {
    Objects.requireNonNull(value, "run id");
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "run id '" + value + "' must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  /** A fresh id from the time, for runs started by hand. */
  public static RunId startingAt(Instant now) {
    return new RunId(STAMP.format(now));
  }

  /**
   * A fresh id from the time and 32 random bits, for runs that are whole in one process: two runs
   * started in the same second still differ (a run lease told apart by its id depends on it).
   */
  public static RunId unique(Instant now) {
    return new RunId(STAMP.format(now) + "-" + String.format("%08x", java.util.concurrent.ThreadLocalRandom.current().nextInt()));
  }

  @Override
  public String toString() {
    return value;
  }
}
