package io.observes.warehouse;

import java.time.Instant;
import java.util.Objects;

/**
 * Which run prepared a staging schema, from which staged inputs (a digest of the segments' manifest
 * ids) and when, and under which run lease (its token; null for runs that take none, such as the
 * dynamo ETL's phases). It lives in the schema itself ({@code _observes_run}), so it moves with the
 * swap: the published target names the run it holds.
 */
public record StagingOwner(String run, String inputs, Instant prepared, String lease) {
  public StagingOwner {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(prepared, "prepared");
  }

  /** A staging prepared without a run lease. */
  public StagingOwner(String run, String inputs, Instant prepared) {
    this(run, inputs, prepared, null);
  }
}
