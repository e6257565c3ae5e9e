package io.observes.pipeline;

import io.observes.warehouse.StagingOwner;
import io.observes.warehouse.WarehouseClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run stands in the warehouse, read from the owner rows the schemas carry: whether its
 * staging schema is its own, and whether it is published (or was, and has since been replaced).
 */
public record Publication(Target target, Optional<StagingOwner> staging, Optional<StagingOwner> published,
    Optional<StagingOwner> backup) {
  public Publication {
    Objects.requireNonNull(target, "target");
  }

  public static Publication of(WarehouseClient warehouse, Target target) {
    return new Publication(target, warehouse.owner(target.staging()), warehouse.owner(target.schema()),
        warehouse.owner(target.backup()));
  }

  public boolean stagingOwnedBy(RunId run) {
    return staging.map(o -> o.run().equals(run.value())).orElse(false);
  }

  /**
   * Why {@code run} has nothing left to do here, if it has not: its data is (or was) published and its
   * staging schema is gone.
   */
  public Optional<String> publishedNote(RunId run) {
    if (stagingOwnedBy(run)) {
      return Optional.empty();
    }
    if (published.map(o -> o.run().equals(run.value())).orElse(false)) {
      return Optional.of("already published run " + run + " in " + target.schema());
    }
    if (backup.map(o -> o.run().equals(run.value())).orElse(false)) {
      return Optional.of("run " + run + " was published in " + target.schema() + " and has since been replaced by run "
          + published.map(StagingOwner::run).orElse("(unknown)") + " (kept as " + target.backup() + ")");
    }
    return Optional.empty();
  }
}
