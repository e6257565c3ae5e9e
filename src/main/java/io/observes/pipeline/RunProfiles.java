package io.observes.pipeline;

import io.observes.pipeline.load.PublishedProfiles;
import io.observes.warehouse.RunLogStore;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A target's table profiles in the run log: a publish's recorded, those older than
 * {@link Pipeline#PROFILE_RETENTION} pruned with them, and the time a run's profiling took read back.
 */
final class RunProfiles {
  private static final Logger LOG = LoggerFactory.getLogger(RunProfiles.class);

  private final RunLogStore runLog;
  private final Target target;
  private final Clock clock;

  RunProfiles(WarehouseClient warehouse, Target target, Clock clock) {
    this.runLog = warehouse.runLog();
    this.target = target;
    this.clock = clock;
  }

  /** Records {@code run}'s profiles; a failure is logged, never the publish's: its data is committed. */
  void record(RunId run, PublishedProfiles.Taken profiles) {
    Instant now = clock.instant();
    try {
      runLog.recordProfiles(target.etl(), run.value(), target.schema(), now, profiles.tables(),
          now.minus(Pipeline.PROFILE_RETENTION));
    } catch (RuntimeException e) {
      LOG.warn("recording the profiles of run {} failed; the run is published without them: {}", run, e.getMessage());
    }
  }

  /** The time the profiling reads of {@code run}'s publish took, as the run log recorded them (zero: none). */
  Duration took(RunId run) {
    return Duration.ofMillis(runLog.profiles(target.etl(), clock.instant().minus(Pipeline.PROFILE_RETENTION), Optional.empty())
        .stream().filter(p -> p.run().equals(run.value())).mapToLong(p -> p.profile().took().toMillis()).sum());
  }
}
