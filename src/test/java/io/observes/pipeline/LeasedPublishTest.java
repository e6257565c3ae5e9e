package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.state.LeaseHeldException;
import io.observes.state.RunLease;
import io.observes.testing.MutableClock;
import io.observes.testing.PipelineStandIns;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run's staging, prepared under its run lease, is published only while the lease object still
 * carries that acquisition's token: the check runs inside the swap and the merge transactions,
 * under the target's lock, just before they commit. Here the lease is taken over between the
 * run's load and its publish, the one window the preparation's own check cannot see.
 */
class LeasedPublishTest extends PipelineStandIns {
  static final Duration TTL = Duration.ofHours(6);
  static final StreamSpec ITEMS = StreamSpec.of("items", WriteMode.MERGE, "id");
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T04:00:00Z"));

  @BeforeAll
  static void stateBucket() {
    s3.createBucket("state");
  }

  Pipeline pipeline(String name, Streams streams) {
    return new Pipeline(new Target(name, name), streams, s3.store(), warehouse, settings());
  }

  static Stream<SourceRecord> items(String version, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> ITEMS.record((Value.Obj) JsonValues.parse(
        "{\"id\": \"i" + i + "\", \"version\": \"" + version + "\"}")));
  }

  RunLease lease(String etl, String run) {
    return RunLease.acquire(s3.store(), "state", etl, run, TTL, clock);
  }

  /** Stages, prepares and loads {@code run} under {@code lease}; only the publish is left. */
  static void upToPublish(Pipeline p, RunId run, String version, LeaseGuard lease) {
    p.stage(run, Segment.only(), items(version, 3), Schema.empty(), n -> { }, false);
    p.prepare(run, 1, Schema.empty(), false, lease);
    p.load(run, 1, Optional.empty());
  }

  @Test
  void aSwapIsRefusedWhenTheLeaseWasTakenOverAfterThePreparation() throws Exception {
    Pipeline p = pipeline("leased_swap", Streams.undeclared());
    RunLease a = lease("leased_swap", "run-a");
    RunId run = new RunId("leased-swap-a");
    upToPublish(p, run, "a", LeaseGuard.of(a));
    clock.advance(TTL.plusMinutes(1));
    lease("leased_swap", "run-b");

    assertThatThrownBy(() -> p.publish(run, 1, LeaseGuard.of(a))).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("run run-a lost the run lease s3://state/leased_swap/run.lease")
        .hasMessageContaining("it is held by run run-b").hasMessageContaining("so run run-a publishes nothing");

    assertThat(warehouse.schemaExists("leased_swap")).as("nothing published").isFalse();
    assertThat(warehouse.owner("leased_swap_loading")).hasValueSatisfying(owner -> {
      assertThat(owner.run()).isEqualTo(run.value());
      assertThat(owner.lease()).isEqualTo(a.token());
    });
    assertThatThrownBy(() -> p.publish(run, 1)).as("a publisher without the lease")
        .hasMessageContaining("prepared under run lease " + a.token());
    assertThat(warehouse.schemaExists("leased_swap")).isFalse();
  }

  @Test
  void aMergeIsRefusedWhenTheLeaseWasTakenOverAfterThePreparationAndTheNewerRowsStay() throws Exception {
    Pipeline p = pipeline("leased_merge", new Streams(List.of(ITEMS)));
    RunLease b = lease("leased_merge", "run-b");
    RunId older = new RunId("leased-merge-a");
    upToPublish(p, older, "old", LeaseGuard.of(b));
    p.publish(older, 1, LeaseGuard.of(b));
    RunId stalled = new RunId("leased-merge-b");
    upToPublish(p, stalled, "stale", LeaseGuard.of(b));
    clock.advance(TTL.plusMinutes(1));
    RunLease c = lease("leased_merge", "run-c");

    assertThatThrownBy(() -> p.publish(stalled, 1, LeaseGuard.of(b))).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("it is held by run run-c").hasMessageContaining("publishes nothing");

    assertThat(pg.rows("SELECT DISTINCT version FROM leased_merge.items")).extracting(r -> r.get("version"))
        .containsExactly("old");
    assertThat(pg.rows("SELECT run_id, lease_token FROM leased_merge._observes_run")).singleElement().satisfies(row -> {
      assertThat(row.get("run_id")).isEqualTo(older.value());
      assertThat(row.get("lease_token")).isEqualTo(b.token());
    });
    assertThat(c.release()).isTrue();
  }
}
