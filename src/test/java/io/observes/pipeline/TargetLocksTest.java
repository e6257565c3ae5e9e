package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import io.observes.warehouse.WarehouseClient;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Locks under concurrency, in the dialect under test (run by the build under both): a load waiting
 * alongside a rerun of phase2 or a merge of the same target ends without a deadlock, within a bound,
 * in success or a clear error; and a load of one target never waits for another target's work,
 * which one lock for the whole warehouse (Redshift's LOCK being exclusive) made it do.
 */
class TargetLocksTest extends PipelineStandIns {
  /** The application name of the sessions whose deadlocks are counted. */
  static final String LOCKING = "observes-locking";
  static final StreamSpec ITEMS = StreamSpec.of("items", WriteMode.MERGE, "id");

  static List<SourceRecord> records(int n, String tag) {
    return IntStream.range(0, n).mapToObj(i -> new SourceRecord("items", List.of("i" + i),
        (Value.Obj) JsonValues.parse("{\"id\": \"i" + i + "\", \"tag\": \"" + tag + "\", \"n\": " + i + "}"))).toList();
  }

  static Pipeline merged(String name, WarehouseClient client) {
    return new Pipeline(new Target(name, name), new Streams(List.of(ITEMS)), s3.store(), client, settings());
  }

  static RunId staged(Pipeline p, String run, List<SourceRecord> records) {
    RunId id = new RunId(run);
    p.stage(id, Segment.only(), records.stream(), Schema.empty(), n -> { }, false);
    p.prepare(id, 1, Schema.empty(), false);
    return id;
  }

  static long deadlocks() throws Exception {
    return Long.parseLong(pg.rows("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").get(0)
        .get("deadlocks"));
  }

  /**
   * The deadlocks PostgreSQL detected, once {@code client}'s sessions are closed: a session reports
   * its statistics when it ends, so every deadlock of the test is counted.
   */
  static long deadlocksAfterClosing(WarehouseClient client) throws Exception {
    client.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Long.parseLong(pg.rows("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = '" + LOCKING
        + "'").get(0).get("n")) > 0) {
      assertThat(System.nanoTime()).as("the client's sessions end within 30 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
    return deadlocks();
  }

  /** Holds {@code table} in {@code mode} in an open transaction of a session of its own; closing releases it. */
  static Connection hold(String table, String mode) throws Exception {
    Connection c = pg.connect();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE " + table + " IN " + mode + " MODE");
    }
    return c;
  }

  /** Bounded poll until {@code n} sessions wait for a lock on {@code relation}. */
  static void awaitWaiters(String relation, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Long.parseLong(pg.rows("SELECT COUNT(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE "
        + "c.relname = '" + relation + "' AND NOT l.granted").get(0).get("n")) < n) {
      assertThat(System.nanoTime()).as("%d sessions wait for %s within 30 s", n, relation).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** The outcome of {@code work}: "ok", or the message of the error it ended with. */
  static CompletableFuture<String> async(Supplier<?> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        work.get();
        return "ok";
      } catch (RuntimeException e) {
        return "error: " + e.getMessage();
      }
    });
  }

  @Test
  void aLoadAlongsideARerunOfPhase2EndsWithoutDeadlock() throws Exception {
    WarehouseClient client = pg.client(LOCKING);
    Pipeline p = merged("locks_rerun", client);
    RunId run = staged(p, "rerun-1", records(300, "a"));
    long before = deadlocks();
    CompletableFuture<String> prepare;
    CompletableFuture<String> load;
    try (Connection held = hold("observes_meta.lock_locks_rerun_loading", "SHARE")) {
      prepare = async(() -> p.prepare(run, 1, Schema.empty(), true));
      awaitWaiters("lock_locks_rerun_loading", 1);
      load = async(() -> p.load(run, 1, Optional.empty()));
      awaitWaiters("lock_locks_rerun_loading", 2);
    }
    assertThat(prepare.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(load.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(p.load(run, 1, Optional.empty()).value()).allMatch(TableLoader.TableResult::skipped);
    assertThat(p.publish(run, 1).value()).containsEntry("items", 300L);
    assertThat(deadlocksAfterClosing(client)).as("deadlocks detected by the warehouse").isEqualTo(before);
  }

  @Test
  void aLoadAlongsideAMergeOfTheSameTargetEndsWithoutDeadlockInSuccessOrAClearError() throws Exception {
    WarehouseClient client = pg.client(LOCKING);
    Pipeline p = merged("locks_merge", client);
    RunId first = staged(p, "merge-1", records(200, "a"));
    p.load(first, 1, Optional.empty());
    long before = deadlocks();
    CompletableFuture<String> merge;
    CompletableFuture<String> load;
    try (Connection held = hold("observes_meta.lock_locks_merge_loading", "SHARE")) {
      merge = async(() -> p.publish(first, 1));
      awaitWaiters("lock_locks_merge_loading", 1);
      load = async(() -> p.load(first, 1, Optional.empty()));
      awaitWaiters("lock_locks_merge_loading", 2);
    }
    assertThat(merge.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
    // Behind the merge, the load finds its staging published and gone: it says to run phase2.
    assertThat(load.get(60, TimeUnit.SECONDS)).satisfiesAnyOf(
        outcome -> assertThat(outcome).isEqualTo("ok"),
        outcome -> assertThat(outcome).contains("Run phase2 for run merge-1"));
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM locks_merge.items").get(0).get("n")).isEqualTo("200");
    assertThat(deadlocksAfterClosing(client)).as("deadlocks detected by the warehouse").isEqualTo(before);
  }

  @Test
  void aLoadOfOneTargetDoesNotWaitForAnotherTargetsLoad() throws Exception {
    Pipeline busy = merged("locks_busy", warehouse);
    Pipeline free = merged("locks_free", warehouse);
    RunId busyRun = staged(busy, "busy-1", records(50, "b"));
    RunId freeRun = staged(free, "free-1", records(50, "f"));
    CompletableFuture<String> busyLoad;
    // The busy target's load is held up inside its transaction, after its locks: its COPY waits for
    // this session's lock on the table it copies into.
    try (Connection held = hold("locks_busy_loading.items", "ACCESS EXCLUSIVE")) {
      busyLoad = async(() -> busy.load(busyRun, 1, Optional.empty()));
      awaitWaiters("items", 1);
      CompletableFuture<String> freeLoad = async(() -> free.load(freeRun, 1, Optional.empty()));
      try {
        assertThat(freeLoad.get(30, TimeUnit.SECONDS)).as("the other target's load, while this one is held").isEqualTo("ok");
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the load of locks_free waited 30 s for the load of locks_busy: one lock serializes "
            + "loads of different targets", e);
      }
      assertThat(busyLoad).isNotDone();
    }
    assertThat(busyLoad.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(busy.publish(busyRun, 1).value()).containsEntry("items", 50L);
    assertThat(free.publish(freeRun, 1).value()).containsEntry("items", 50L);
  }
}
