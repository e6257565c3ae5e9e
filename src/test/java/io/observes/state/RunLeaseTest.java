package io.observes.state;

import io.observes.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.testing.S3StandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One run of an ETL at a time: the lease is created only if absent, refused while another run's
 * lease lives, taken over once it expired (or by a rerun of the same run id), and released only by
 * its holder. Time moves on a hand-driven clock; races start behind a barrier.
 */
class RunLeaseTest {
  static final String BUCKET = "observes.state";
  static final Duration TTL = Duration.ofHours(6);
  static S3StandIn s3;
  static ObjectStore store;
  static int etls;
  MutableClock clock;
  String etl;

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
    etl = "etl" + etls++;
  }

  RunLease acquire(String run) {
    return RunLease.acquire(store, BUCKET, etl, run, TTL, clock, "host-" + run);
  }

  S3Uri leaseUri() {
    return new S3Uri(BUCKET, etl + "/run.lease");
  }

  JsonNode stored() throws Exception {
    return new ObjectMapper().readTree(store.read(leaseUri()).orElseThrow());
  }

  @Test
  void aLeaseNamesItsRunHostAndTerm() throws Exception {
    RunLease lease = acquire("run-a");
    assertThat(lease.uri()).isEqualTo(leaseUri());
    assertThat(lease.tookOverFrom()).isEmpty();
    JsonNode document = stored();
    assertThat(document.get("run").textValue()).isEqualTo("run-a");
    assertThat(document.get("acquired_at").textValue()).isEqualTo("2026-03-01T04:00:00Z");
    assertThat(document.get("expires_at").textValue()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(document.get("host").textValue()).isEqualTo("host-run-a");
    lease.verifyHeld();
  }

  @Test
  void theHostDefaultsToThisMachinesName() throws Exception {
    RunLease lease = RunLease.acquire(store, BUCKET, etl, "run-a", TTL, clock);
    assertThat(lease.holder().host()).isNotBlank();
    assertThat(stored().get("host").textValue()).isEqualTo(lease.holder().host());
  }

  @Test
  void anotherRunIsRefusedWhileTheLeaseLivesAndToldWhoHoldsItAndWhatToDo() {
    acquire("run-a");
    clock.advance(Duration.ofHours(1));
    assertThatThrownBy(() -> acquire("run-b")).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("the run lease " + leaseUri() + " is held by run run-a (host host-run-a) "
            + "since 2026-03-01T04:00:00Z until 2026-03-01T10:00:00Z")
        .hasMessageContaining("run run-b does not start")
        .hasMessageContaining("Wait for it to finish; if that run is dead, delete " + leaseUri());
  }

  @Test
  void aReleasedLeaseIsGoneAndCanBeTakenByTheNextRun() {
    try (RunLease lease = acquire("run-a")) {
      lease.verifyHeld();
    }
    assertThat(store.read(leaseUri())).isEmpty();
    RunLease next = acquire("run-b");
    assertThat(next.tookOverFrom()).isEmpty();
    assertThat(next.release()).isTrue();
    assertThat(next.release()).isFalse();
    assertThatThrownBy(next::verifyHeld).isInstanceOf(IllegalStateException.class).hasMessageContaining("already released");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsFormerHolderFindsOutAndCannotDeleteIt() {
    RunLease first = acquire("run-a");
    clock.advance(TTL);
    RunLease second = acquire("run-b");
    assertThat(second.tookOverFrom()).contains(first.holder());

    assertThatThrownBy(first::verifyHeld).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("run run-a lost the run lease " + leaseUri())
        .hasMessageContaining("it is now held by run run-b (host host-run-b) since 2026-03-01T10:00:00Z")
        .hasMessageContaining("must not advance the state");
    assertThat(first.release()).isFalse();
    assertThat(store.read(leaseUri())).isPresent();
    second.verifyHeld();
  }

  @Test
  void eachAcquisitionDrawsItsTokenAndOnlyTheCurrentOnePassesTheCheck() throws Exception {
    RunLease attempt1 = acquire("run-a");
    assertThat(stored().get("token").textValue()).isEqualTo(attempt1.token()).hasSize(36);
    attempt1.verifyCurrent(attempt1.token(), "publishes nothing");
    clock.advance(Duration.ofMinutes(5));
    RunLease attempt2 = acquire("run-a");
    assertThat(attempt2.token()).isNotEqualTo(attempt1.token());

    assertThatThrownBy(() -> attempt1.verifyCurrent(attempt1.token(), "publishes nothing"))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("run run-a lost the run lease " + leaseUri())
        .hasMessageContaining("it is held by run run-a (host host-run-a) since 2026-03-01T04:05:00Z")
        .hasMessageContaining("so run run-a publishes nothing");
    assertThatThrownBy(() -> attempt2.verifyCurrent(attempt1.token(), "publishes nothing"))
        .isInstanceOf(LeaseHeldException.class).hasMessageContaining("prepared under another acquisition");
    attempt2.verifyCurrent(attempt2.token(), "publishes nothing");
    assertThat(attempt2.release()).isTrue();
    assertThatThrownBy(() -> attempt2.verifyCurrent(attempt2.token(), "publishes nothing"))
        .isInstanceOf(LeaseHeldException.class).hasMessageContaining("no run holds it now");
  }

  @Test
  void aLeaseWrittenBeforeTokensReadsWithNone() {
    store.put(leaseUri(), ("{\"run\": \"run-old\", \"acquired_at\": \"2026-03-01T04:00:00Z\", "
        + "\"expires_at\": \"2026-03-01T05:00:00Z\", \"host\": \"h\"}").getBytes(StandardCharsets.UTF_8));
    clock.advance(Duration.ofHours(2));
    RunLease lease = acquire("run-a");
    assertThat(lease.tookOverFrom()).hasValueSatisfying(old -> assertThat(old.token()).isEmpty());
  }

  @Test
  void aLeaseLivesUntilJustBeforeItsExpiry() {
    acquire("run-a");
    clock.advance(TTL.minusMillis(1));
    assertThatThrownBy(() -> acquire("run-b")).isInstanceOf(LeaseHeldException.class);
  }

  @Test
  void aLeaseThatExpiredButWasNotTakenOverIsStillHeld() {
    RunLease lease = acquire("run-a");
    clock.advance(TTL.multipliedBy(2));
    lease.verifyHeld();
    assertThat(lease.release()).isTrue();
  }

  @Test
  void aRerunOfTheSameRunTakesItsLeaseOverAndTheEarlierAttemptLosesIt() {
    RunLease attempt1 = acquire("run-a");
    clock.advance(Duration.ofMinutes(5));
    RunLease attempt2 = acquire("run-a");
    assertThat(attempt2.tookOverFrom()).contains(attempt1.holder());
    assertThatThrownBy(attempt1::verifyHeld).isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("it is now held by run run-a (host host-run-a) since 2026-03-01T04:05:00Z");
    assertThat(attempt1.release()).isFalse();
    attempt2.verifyHeld();
  }

  @Test
  void aLeaseDeletedByHandIsNoLongerHeld() {
    RunLease lease = acquire("run-a");
    store.delete(leaseUri());
    assertThatThrownBy(lease::verifyHeld).isExactlyInstanceOf(StateException.class)
        .hasMessageContaining("run run-a no longer holds the run lease " + leaseUri() + ": it was deleted");
    assertThat(lease.release()).isFalse();
  }

  @Test
  void aCorruptLeaseIsAnErrorNamingItAndTheWayOut() {
    store.put(leaseUri(), "{\"run\": \"run-a\", \"acquired_at\": 1772337600}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> acquire("run-b")).isExactlyInstanceOf(StateException.class)
        .hasMessageContaining(leaseUri() + " is not a valid run lease: \"acquired_at\" is 1772337600, not a non-empty string")
        .hasMessageContaining("if no run of " + etl + " is in progress, delete it");

    store.put(leaseUri(), "run-a".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> acquire("run-b")).isExactlyInstanceOf(StateException.class)
        .hasMessageContaining(leaseUri() + " is not a valid run lease: it is not JSON");

    store.put(leaseUri(), ("{\"run\": \"run-a\", \"acquired_at\": \"2026-03-01T04:00:00Z\", "
        + "\"expires_at\": \"2026-03-01T03:00:00Z\", \"host\": \"h\"}").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> acquire("run-b")).isExactlyInstanceOf(StateException.class)
        .hasMessageContaining("it expires (2026-03-01T03:00:00Z) before it was acquired");
  }

  @Test
  void aLeaseOverwrittenWithGarbageIsNotHeldAndNotDeleted() {
    RunLease lease = acquire("run-a");
    store.put(leaseUri(), "garbage".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(lease::verifyHeld).isExactlyInstanceOf(StateException.class)
        .hasMessageContaining(leaseUri() + " is not a valid run lease");
    assertThat(lease.release()).isFalse();
    assertThat(store.read(leaseUri())).isPresent();
  }

  @Test
  void ofRunsStartingTogetherExactlyOneGetsTheLease() throws Exception {
    for (int round = 0; round < 10; round++) {
      freshEtl();
      List<Throwable> outcomes = Race.run(4, i -> acquire("run-" + i));
      assertOneWon(outcomes);
    }
  }

  @Test
  void ofRunsTakingOverAnExpiredLeaseTogetherExactlyOneGetsIt() throws Exception {
    for (int round = 0; round < 10; round++) {
      freshEtl();
      acquire("dead-run");
      clock.advance(TTL.plusMinutes(1));
      List<Throwable> outcomes = Race.run(4, i -> acquire("run-" + i));
      assertOneWon(outcomes);
    }
  }

  void assertOneWon(List<Throwable> outcomes) throws Exception {
    assertThat(outcomes.stream().filter(Objects::isNull).count()).isEqualTo(1);
    assertThat(outcomes.stream().filter(Objects::nonNull)).allMatch(LeaseHeldException.class::isInstance);
    assertThat(stored().get("run").textValue()).isEqualTo("run-" + outcomes.indexOf(null));
  }

  @Test
  void aLeaseNeedsAPositiveTtl() {
    assertThatThrownBy(() -> RunLease.acquire(store, BUCKET, etl, "run-a", Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive ttl");
  }
}
