package io.observes.warehouse;

import java.time.Instant;
import java.util.Objects;

/** Identifies one row of the run log: a phase of a job's run, for one segment or none. */
public record RunEntry(String job, String run, String phase, Integer segment, Instant started) {
  public RunEntry {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(started, "started");
  }
}
