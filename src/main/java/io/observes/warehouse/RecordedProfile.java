package io.observes.warehouse;

import java.time.Instant;
import java.util.Objects;

/** A table's profile as the run log keeps it: the run-log job and run that published it, the schema, when. */
public record RecordedProfile(String job, String run, String target, Instant profiledAt, TableProfile profile) {
  public RecordedProfile {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(profiledAt, "profiledAt");
    Objects.requireNonNull(profile, "profile");
  }
}
