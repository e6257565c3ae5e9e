package io.observes.warehouse;

import java.time.Duration;
import java.time.Instant;

/**
 * A run-log row as {@code observes runs}, the report and the checks read it: the phase, its times
 * and status ({@code LOST} for a run that stopped writing its heartbeat without recording an end),
 * the rows of its tables, where it ran and the schema it writes; for a phase that published data as
 * of an earlier time (an export's snapshot, a change window's end), that time, else null.
 */
public record RunSummary(String job, String run, String phase, Integer segment, Instant started, Instant finished,
    String status, String error, long rowsWritten, long rowsLoaded, long rowsRejected, String target, RunOrigin origin,
    Instant heartbeat, Instant dataAsOf) {
  public static final String LOST = "LOST";

  /** How long it took, or has been running. */
  public Duration duration(Instant now) {
    return Duration.between(started, finished != null ? finished : now);
  }

  /** The first line of the error, if any. */
  public String errorLine() {
    return error == null ? "" : error.lines().findFirst().orElse("");
  }
}
