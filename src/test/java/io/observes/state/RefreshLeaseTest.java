package io.observes.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.testing.MutableClock;
import io.observes.testing.S3StandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease of a refresh made of several processes (phases, nodes) under one run id: they share one
 * acquisition, renew it when half its term is gone, wait for another run's lease within a bound,
 * and exclude every other run (an incremental run, another refresh) until the last phase releases
 * it. Time moves on a hand-driven clock; the pause moves it instead of sleeping.
 */
class RefreshLeaseTest {
  static final String BUCKET = "observes.state";
  static final Duration TTL = Duration.ofHours(6);
  static final RefreshLease.Wait WAIT = new RefreshLease.Wait(Duration.ofSeconds(15), Duration.ofMinutes(2));
  static S3StandIn s3;
  static ObjectStore store;
  static int etls;
  MutableClock clock;
  String etl;
  List<Duration> pauses;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3StandIn.withAtomicConditions();
    s3.createBucket(BUCKET);
    store = s3.store();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @BeforeEach
  void freshEtl() {
    clock = new MutableClock(Instant.parse("2026-03-01T04:00:00Z"));
    etl = "refresh" + etls++;
    pauses = new ArrayList<>();
  }

  RunLease join(String run, RefreshLease.Pause pause) {
    return RefreshLease.join(store, BUCKET, etl, run, TTL, clock, WAIT, pause, "host-" + run);
  }

  RunLease join(String run) {
    return join(run, d -> {
      pauses.add(d);
      clock.advance(d);
    });
  }

  RunLease incremental(String run) {
    return RunLease.acquire(store, BUCKET, etl, run, TTL, clock, "host-" + run);
  }

  JsonNode stored() throws Exception {
    return new ObjectMapper().readTree(store.read(new S3Uri(BUCKET, etl + "/run.lease")).orElseThrow());
  }

  @Test
  void thePhasesOfOneRunShareOneAcquisitionAndItsStagingTokenHoldsToTheEnd() throws Exception {
    RunLease phase1 = join("full");
    clock.advance(Duration.ofHours(1));
    RunLease phase2 = join("full");
    assertThat(phase2.token()).isEqualTo(phase1.token());
    assertThat(stored().get("host").textValue()).as("joined as it is: not rewritten").isEqualTo("host-full");
    clock.advance(Duration.ofHours(2).plusSeconds(1)); // less than half the term left
    RunLease phase4 = join("full");
    assertThat(phase4.token()).isEqualTo(phase1.token());
    assertThat(Instant.parse(stored().get("expires_at").textValue())).as("renewed for a full term")
        .isEqualTo(clock.instant().plus(TTL));
    assertThat(stored().get("acquired_at").textValue()).isEqualTo("2026-03-01T04:00:00Z");
    phase4.verifyCurrent(phase2.token(), "publishes nothing"); // the staging phase2 prepared is phase4's to publish
    phase2.verifyHeld(); // a renewal by another process of the run is still this acquisition
    assertThat(pauses).isEmpty();
    assertThat(phase4.release()).isTrue();
    assertThat(store.read(new S3Uri(BUCKET, etl + "/run.lease"))).isEmpty();
  }

  @Test
  void anotherRunIsExcludedUntilTheRefreshReleasesIt() {
    RunLease refresh = join("full");
    assertThatThrownBy(() -> incremental("batch-job-hourly")).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("held by run full");
    assertThatThrownBy(() -> join("another-full")).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("held by run full").hasMessageContaining("waited 120 s")
        .hasMessageContaining("OBSERVES_LEASE_WAIT_SECONDS");
    assertThat(pauses).as("polled every 15 s for the 2 minutes it may wait").hasSize(8)
        .allMatch(d -> d.equals(Duration.ofSeconds(15)));
    refresh.release();
    incremental("batch-job-hourly").release();
  }

  @Test
  void aRefreshWaitsForAnIncrementalRunAndStartsWhenItEnds() {
    RunLease hourly = incremental("batch-job-hourly");
    RunLease[] refresh = new RunLease[1];
    refresh[0] = join("full", d -> {
      pauses.add(d);
      clock.advance(d);
      if (pauses.size() == 3) {
        hourly.release();
      }
    });
    assertThat(pauses).hasSize(3);
    assertThat(refresh[0].holder().run()).isEqualTo("full");
    assertThat(refresh[0].tookOverFrom()).isEmpty();
  }

  @Test
  void anExpiredLeaseOfAnotherRunIsTakenOverAndItsOwnExpiredLeaseRenewedWithItsToken() throws Exception {
    RunLease dead = incremental("dead");
    clock.advance(TTL.plusMinutes(1));
    RunLease full = join("full");
    assertThat(full.tookOverFrom()).hasValueSatisfying(h -> assertThat(h.run()).isEqualTo("dead"));
    assertThatThrownBy(dead::verifyHeld).isInstanceOf(LeaseHeldException.class);
    clock.advance(TTL.plusMinutes(1)); // the refresh's own lease expired, nobody took it
    RunLease later = join("full");
    assertThat(later.token()).isEqualTo(full.token());
    assertThat(later.tookOverFrom()).isEmpty();
  }

  @Test
  void nodesStartingTogetherAllJoinOneAcquisition() throws Exception {
    for (int round = 0; round < 10; round++) {
      freshEtl();
      Set<String> tokens = ConcurrentHashMap.newKeySet();
      List<Throwable> outcomes = Race.run(6, i -> tokens.add(join("full").token()));
      assertThat(outcomes).allMatch(Objects::isNull);
      assertThat(tokens).hasSize(1).containsExactly(stored().get("token").textValue());
    }
  }

  @Test
  void theReleaseOfAnotherRunNeverDeletesTheRefreshsLease() throws Exception {
    RunLease dead = incremental("dead");
    clock.advance(TTL.plusMinutes(1));
    join("full");
    assertThat(dead.release()).isFalse();
    assertThat(stored().get("run").textValue()).isEqualTo("full");
  }

  @Test
  void aWaitNeedsAPositivePoll() {
    assertThatThrownBy(() -> new RefreshLease.Wait(Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive poll");
  }
}
