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
 *
 * <p>A run that stalls past its lease (a frozen process, or one slow but moving) may be taken over
 * by a newer run. Its staging is then neither prepared nor published: both warehouse transactions
 * check, under the target's lock and (for the publish) just before committing, that the lease
 * object still carries the token this run's staging records ({@link LeaseGuard}). So the older
 * rows it read never replace the newer run's, and it fails naming the run that holds the lease.
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
  private final Optional<String> attemptOf;
  private final Clock clock;

  /**
   * @param leaseTtl how long the run lease lasts: longer than any run (the job's timeout), so a
   *     run still working is never taken over, and a dead one's lease lapses by the next schedule
   * @param attemptOf the job this run is an attempt of (AWS Batch's job id), when it is one: the
   *     lease is the job's, so a retry of a killed attempt takes it over at once (Batch starts an
   *     attempt only after the one before ended), while another job still waits for it
   */
  public SourceRun(Source source, Pipeline pipeline, ObjectStore store, String stateBucket, Duration leaseTtl,
      Optional<String> attemptOf, Clock clock) {
    this.attemptOf = Objects.requireNonNull(attemptOf, "attemptOf");
    this.source = Objects.requireNonNull(source, "source");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.store = Objects.requireNonNull(store, "store");
    this.stateBucket = Objects.requireNonNull(stateBucket, "stateBucket");
    this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Who a run lease names: the AWS Batch job when the run is an attempt of one (so its retry takes
   * the lease over at once), else the run.
   */
  public static String leaseHolder(Optional<String> attemptOf, String run) {
    return attemptOf.map(job -> "batch-job-" + job).orElse(run);
  }

  public StateStore state() {
    return new StateStore(store, stateBucket, source.stateName());
  }

  public Report run(ReadProgress progress) {
    RunId run = RunId.unique(clock.instant());
    String holder = leaseHolder(attemptOf, run.value());
    try (RunLease lease = RunLease.acquire(store, stateBucket, source.stateName(), holder, leaseTtl, clock)) {
      lease.tookOverFrom().ifPresent(h -> LOG.warn("run {} took over the lease of {} (held since {}, until {}): an "
          + "earlier attempt of the same job, or a run that died", run, h.run(), h.acquiredAt(), h.expiresAt()));
      StateStore state = state();
      Optional<StateVersion> before = source.stateful() ? state.read() : Optional.empty();
      String beforeText = source.stateful() ? before.map(v -> v.data().toString()).orElse("(none: first run)") : null;
      return pipeline.runLog().phase(source.name(), run, "run", null, beforeText, () -> {
        Batch batch = source.read(Segment.only(), before.map(StateVersion::data), progress);
        DistinctRecords distinct = new DistinctRecords(pipeline.streams());
        SegmentedRun.Report published = new SegmentedRun(pipeline, 1, LeaseGuard.of(lease), progress::activity)
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
