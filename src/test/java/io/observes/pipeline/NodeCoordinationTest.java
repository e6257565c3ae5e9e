package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.config.Environment;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SegmentBoard;
import io.observes.storage.S3Uri;
import io.observes.testing.S3StandIn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The nodes of one multi-node phase, as threads sharing the run's status board in s3proxy. */
class NodeCoordinationTest {
  static S3StandIn s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3StandIn();
    s3.createBucket("data");
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  record Attempt(Map<Integer, Throwable> failures, List<Integer> worked) {}

  /** One attempt of the job: {@code nodes} node threads; the work fails on the segments in {@code failing}. */
  static Attempt attempt(String run, int attempt, int nodes, Set<Integer> failing, Set<Integer> absent, int waitSeconds)
      throws Exception {
    SegmentBoard board = new SegmentBoard(s3.store(), new S3Uri("data", "dynamodb/" + run + "/"));
    Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
    List<Integer> worked = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      if (absent.contains(i)) {
        continue;
      }
      int node = i;
      Environment env = new Environment(Map.of("AWS_BATCH_JOB_MAIN_NODE_INDEX", "0", "AWS_BATCH_JOB_NODE_INDEX",
          Integer.toString(node), "AWS_BATCH_JOB_NUM_NODES", Integer.toString(nodes), "OBSERVES_NODE_WAIT_SECONDS",
          Integer.toString(waitSeconds), "OBSERVES_NODE_POLL_SECONDS", "0", "AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt)));
      NodeCoordination coordination = new NodeCoordination(env, board, new PrintWriter(new StringWriter()), ms -> Thread.yield());
      Thread t = new Thread(() -> {
        try {
          coordination.run("phase1", new Segment(node, nodes), () -> {
            worked.add(node);
            if (failing.contains(node)) {
              throw new IllegalStateException("segment " + node + " scan failed: connection reset");
            }
          });
        } catch (Throwable e) {
          failures.put(node, e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    return new Attempt(failures, worked);
  }

  @Test
  void theMainNodeFailsNamingTheFailedSegmentAndARetryRedoesOnlyIt() throws Exception {
    Attempt first = attempt("run-a", 1, 4, Set.of(2), Set.of(), 30);
    assertThat(first.worked()).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(first.failures()).containsOnlyKeys(0, 2);
    assertThat(first.failures().get(0)).hasMessageContaining("failed for segment(s) [2]")
        .hasMessageContaining("connection reset").hasMessageContaining("--segment N --total-segments 4");

    Attempt retry = attempt("run-a", 2, 4, Set.of(), Set.of(), 30);
    assertThat(retry.worked()).containsExactly(2);
    assertThat(retry.failures()).isEmpty();
  }

  @Test
  void aNodeThatNeverReportsFailsTheJobWithinTheBound() throws Exception {
    long start = System.nanoTime();
    Attempt attempt = attempt("run-b", 1, 3, Set.of(), Set.of(1), 2);
    assertThat(attempt.failures()).containsOnlyKeys(0);
    assertThat(attempt.failures().get(0)).hasMessageContaining("segment(s) [1] did not report within 2 s");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
  }

  @Test
  void aFailureOfAnEarlierAttemptIsNotAFailureOfThisOne() {
    SegmentBoard board = new SegmentBoard(s3.store(), new S3Uri("data", "dynamodb/run-d/"));
    board.failed("phase3", 5, 1, "boom");
    assertThat(board.state("phase3", 5, 1)).isEqualTo(SegmentBoard.State.FAILED);
    assertThat(board.state("phase3", 5, 2)).isEqualTo(SegmentBoard.State.MISSING);
    assertThat(board.reason("phase3", 5)).contains("boom");
    board.done("phase3", 5);
    assertThat(board.state("phase3", 5, 2)).isEqualTo(SegmentBoard.State.DONE);
  }

  @Test
  void outsideAMultiNodeJobThePhaseJustRuns() {
    AtomicInteger runs = new AtomicInteger();
    SegmentBoard board = new SegmentBoard(s3.store(), new S3Uri("data", "dynamodb/run-c/"));
    new NodeCoordination(new Environment(Map.of()), board, new PrintWriter(new StringWriter()), ms -> { })
        .run("phase1", new Segment(0, 1), runs::incrementAndGet);
    new NodeCoordination(new Environment(Map.of()), board, new PrintWriter(new StringWriter()), ms -> { })
        .run("phase1", new Segment(0, 1), runs::incrementAndGet);
    assertThat(runs).hasValue(2);
    assertThat(board.state("phase1", 0, 1)).isEqualTo(SegmentBoard.State.MISSING);
  }

  @Test
  void theMainNodeStopsWaitingSafelyBeforeTheJobTimeoutKillsIt() {
    long started = 1_000_000;
    Environment batch = new Environment(Map.of("OBSERVES_JOB_TIMEOUT_SECONDS", "14400"));
    // After 1 h of its own segment, 3 h are left of the 4 h attempt, less a margin of 24 min.
    java.time.Duration budget = NodeCoordination.waitBudget(batch, started, started + 3_600_000);
    assertThat(budget).isEqualTo(java.time.Duration.ofMinutes(180 - 24));
    assertThat(budget.plusHours(1)).isLessThan(java.time.Duration.ofSeconds(14400));
    // An asked-for wait only shortens it; a late main node waits not at all rather than past the timeout.
    Environment asked = new Environment(Map.of("OBSERVES_JOB_TIMEOUT_SECONDS", "14400", "OBSERVES_NODE_WAIT_SECONDS", "14400"));
    assertThat(NodeCoordination.waitBudget(asked, started, started)).isEqualTo(java.time.Duration.ofMinutes(240 - 24));
    assertThat(NodeCoordination.waitBudget(batch, started, started + 14_000_000)).isZero();
    Environment shorter = new Environment(Map.of("OBSERVES_JOB_TIMEOUT_SECONDS", "14400", "OBSERVES_NODE_WAIT_SECONDS", "60"));
    assertThat(NodeCoordination.waitBudget(shorter, started, started)).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(NodeCoordination.waitBudget(new Environment(Map.of()), started, started)).isEqualTo(NodeCoordination.DEFAULT_WAIT);
  }

  @Test
  void theMainNodeOfAMillionSegmentsReportsTheSilentOnesInRangesQuickly() {
    SegmentBoard board = new SegmentBoard(s3.store(), new S3Uri("data", "dynamodb/run-million/"));
    Environment main = new Environment(Map.of("AWS_BATCH_JOB_MAIN_NODE_INDEX", "0", "AWS_BATCH_JOB_NODE_INDEX", "0",
        "AWS_BATCH_JOB_NUM_NODES", "1000000", "OBSERVES_NODE_WAIT_SECONDS", "0", "OBSERVES_NODE_POLL_SECONDS", "0"));
    board.failed("phase1", 7, 1, "scan failed: throttled");
    board.done("phase1", 8);
    Throwable failed = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
        org.assertj.core.api.Assertions.catchThrowable(() -> new NodeCoordination(main, board,
            new PrintWriter(new StringWriter()), ms -> { }).run("phase1", new Segment(0, 1_000_000), () -> { })));

    assertThat(failed).isInstanceOf(IllegalStateException.class);
    assertThat(failed.getMessage()).contains("phase1 failed for segment(s) [7] (7: FAILED 1: scan failed: throttled)",
        "segment(s) [1-6, 9-999999] did not report within 0 s").hasSizeLessThan(1_000);
  }
}
