package io.observes.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.state.RunLease;
import io.observes.state.StateStore;
import io.observes.state.StateVersion;
import io.observes.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One whole run of a source read in this process (the API sources): the source's run lease taken
 * first, so a concurrent run fails before it changes anything; its state read; the records read
 * from there, staged, loaded and published; and only after the warehouse committed them, the new
 * state written (conditionally on the version read). A crash between the commit and the state write
 * makes the next run read the same records again, which the merge by key lands once.
 */
public final class SourceRun {
  private static final Logger LOG = LoggerFactory.getLogger(SourceRun.class);

  /** What a run did: the pipeline's report, records dropped as repeats, and the state before and after. */
  public record Report(RunId run, SegmentedRun.Report published, long repeats, Optional<StateVersion> before,
      Optional<JsonNode> after) {}

  private final Source source;
  private final Pipeline pipeline;
  private final ObjectStore store;
  private final String stateBucket;
  private final Duration leaseTtl;
  private final Clock clock;

  /**
   * @param leaseTtl how long the run lease lasts: longer than any run (the job's timeout), so a
   *     run still working is never taken over, and a dead one's lease lapses by the next schedule
   */
  public SourceRun(Source source, Pipeline pipeline, ObjectStore store, String stateBucket, Duration leaseTtl, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.store = Objects.requireNonNull(store, "store");
    this.stateBucket = Objects.requireNonNull(stateBucket, "stateBucket");
    this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public StateStore state() {
    return new StateStore(store, stateBucket, source.name());
  }

  public Report run(ReadProgress progress) {
    RunId run = RunId.unique(clock.instant());
    try (RunLease lease = RunLease.acquire(store, stateBucket, source.name(), run.value(), leaseTtl, clock)) {
      lease.tookOverFrom().ifPresent(h -> LOG.warn("run {} took over the expired lease of run {} (held since {})", run,
          h.run(), h.acquiredAt()));
      StateStore state = state();
      Optional<StateVersion> before = source.stateful() ? state.read() : Optional.empty();
      String beforeText = source.stateful() ? before.map(v -> v.data().toString()).orElse("(none: first run)") : null;
      return pipeline.runLog().phase(source.name(), run, "run", null, beforeText, () -> {
        Batch batch = source.read(Segment.only(), before.map(StateVersion::data), progress);
        DistinctRecords distinct = new DistinctRecords(pipeline.streams());
        SegmentedRun.Report published = new SegmentedRun(pipeline, 1)
            .run(run, 1, i -> distinct.filter(batch.records()), pipeline.baseSchema());
        Optional<JsonNode> after = source.stateful() ? batch.stateAfter() : Optional.empty();
        if (after.isPresent()) {
          lease.verifyHeld();
          state.write(after.get(), before, run.value(), clock.instant());
        }
        if (distinct.dropped() > 0) {
          LOG.info("run {} read {} record(s) twice; each was loaded once", run, distinct.dropped());
        }
        return new RunLog.Outcome<>(new Report(run, published, distinct.dropped(), before, after), List.of(),
            after.map(JsonNode::toString).orElse(null));
      });
    }
  }
}
