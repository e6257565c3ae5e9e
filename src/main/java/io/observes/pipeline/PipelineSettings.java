package io.observes.pipeline;

import io.observes.pipeline.stage.SegmentStager;
import io.observes.warehouse.RunOrigin;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Pipeline} runs, apart from what it moves: the bucket its segments are staged to, the
 * schema cache, the stage step's settings and the clock; and for the run log, where its runs come from
 * (a Batch job and attempt, a host), how often a working phase beats and how long a phase reading the
 * source may report no progress before it is stopped ({@link RunLog}).
 *
 * @param dataBucket the bucket the staged files and manifests go to
 */
public record PipelineSettings(String dataBucket, SchemaCache cache, SegmentStager.Settings stage, Clock clock,
    RunOrigin origin, Duration heartbeat, Duration stallLimit) {
  public PipelineSettings {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(stallLimit, "stallLimit");
  }

  /** Runs on this machine ({@link RunOrigin#LOCAL}), with the run log's default heartbeat and stall limit. */
  public static PipelineSettings local(String dataBucket, SchemaCache cache, SegmentStager.Settings stage, Clock clock) {
    return new PipelineSettings(dataBucket, cache, stage, clock, RunOrigin.LOCAL, RunLog.HEARTBEAT, RunLog.STALL_LIMIT);
  }

  /** These settings for runs from {@code origin} that beat every {@code heartbeat} and stall after {@code stallLimit}. */
  public PipelineSettings withRunLog(RunOrigin origin, Duration heartbeat, Duration stallLimit) {
    return new PipelineSettings(dataBucket, cache, stage, clock, origin, heartbeat, stallLimit);
  }
}
