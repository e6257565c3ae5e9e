package io.observes.warehouse;

import java.time.Instant;
import java.util.Objects;

/**
 * Identifies one row of the run log: a phase of a job's run, for one segment or none; with the
 * schema it writes ({@code target}, null for jobs outside the warehouse) and where it ran.
 */
public record RunEntry(String job, String run, String phase, Integer segment, Instant started, String target,
    RunOrigin origin) {
  public RunEntry {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(origin, "origin");
  }

  public RunEntry(String job, String run, String phase, Integer segment, Instant started) {
    this(job, run, phase, segment, started, null, RunOrigin.LOCAL);
  }
}
