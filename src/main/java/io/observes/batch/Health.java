package io.observes.batch;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a catalogue job shows in the run log and what its health checks expect: the run-log job it
 * records as (default its own name) and, for a phase of a multi-phase ETL, the phase; a table's
 * rows loaded are an anomaly below {@code minRowsFraction} of the median of the last
 * {@code medianOf} successful runs (or zero); more than {@code maxRejected} rejected values in a
 * run fail a check; the checks on its tables' profiles follow {@code profiles}, or for a table named
 * in {@code tables}, that table's limits.
 */
public record Health(String logJob, Optional<String> logPhase, double minRowsFraction, int medianOf, long maxRejected,
    ProfileLimits profiles, Map<String, ProfileLimits> tables) {
  public static final double MIN_ROWS_FRACTION = 0.5;
  public static final int MEDIAN_OF = 7;
  public static final long MAX_REJECTED = 1000;

  public Health {
    Objects.requireNonNull(logJob, "logJob");
    Objects.requireNonNull(logPhase, "logPhase");
    Objects.requireNonNull(profiles, "profiles");
    tables = Map.copyOf(tables);
    if (minRowsFraction < 0 || minRowsFraction > 1 || medianOf < 1 || maxRejected < 0) {
      throw new IllegalArgumentException("need 0 <= min_rows_fraction <= 1, median_of >= 1 and max_rejected >= 0");
    }
  }

  public Health(String logJob, Optional<String> logPhase, double minRowsFraction, int medianOf, long maxRejected) {
    this(logJob, logPhase, minRowsFraction, medianOf, maxRejected, ProfileLimits.DEFAULTS, Map.of());
  }

  public static Health defaults(String job) {
    return new Health(job, Optional.empty(), MIN_ROWS_FRACTION, MEDIAN_OF, MAX_REJECTED);
  }

  /** The profile limits of {@code table}: its own where the catalogue names it, else the job's. */
  public ProfileLimits limits(String table) {
    return tables.getOrDefault(table, profiles);
  }
}
