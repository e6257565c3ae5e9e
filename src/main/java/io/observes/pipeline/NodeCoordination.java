package io.observes.pipeline;

import io.observes.config.Environment;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.Optional;
import java.lang.management.ManagementFactory;

/**
 * A segmented phase as one node of an AWS Batch multi-node job. Every node records how its segment
 * ended; a retried job (same run) skips segments already done; the main node
 * ({@code AWS_BATCH_JOB_MAIN_NODE_INDEX}), after its own segment, waits (bounded) for every other
 * node and fails naming the segments that failed or never reported, because Batch takes the job's
 * status from the main node alone. Outside a multi-node job the phase simply runs.
 */
public final class NodeCoordination {
  private final Environment env;
  private final SegmentBoard board;
  private final PrintWriter out;
  private final SegmentBoard.Pause pause;

  public NodeCoordination(Environment env, SegmentBoard board, PrintWriter out, SegmentBoard.Pause pause) {
    this.env = Objects.requireNonNull(env, "env");
    this.board = Objects.requireNonNull(board, "board");
    this.out = Objects.requireNonNull(out, "out");
    this.pause = Objects.requireNonNull(pause, "pause");
  }

  boolean multiNode() {
    return env.get("AWS_BATCH_JOB_MAIN_NODE_INDEX").isPresent();
  }

  boolean mainNode(Segment segment) {
    return env.integer("AWS_BATCH_JOB_MAIN_NODE_INDEX").map(main -> main == segment.index()).orElse(false);
  }

  public void run(String phase, Segment segment, Runnable work) {
    if (!multiNode()) {
      work.run();
      return;
    }
    RuntimeException failure = null;
    int attempt = env.integer("AWS_BATCH_JOB_ATTEMPT").orElse(1);
    if (board.state(phase, segment.index(), attempt) == SegmentBoard.State.DONE) {
      out.printf("segment %s of %s is already done in this run (a retried job): skipped%n", segment, phase);
      out.flush();
    } else {
      try {
        work.run();
        board.done(phase, segment.index());
      } catch (RuntimeException e) {
        board.failed(phase, segment.index(), attempt, String.valueOf(e.getMessage()));
        failure = e;
      }
    }
    if (mainNode(segment)) {
      awaitOthers(phase, segment, attempt, failure);
    } else if (failure != null) {
      throw failure;
    }
  }

  /** Failed segments whose reasons the main node's error quotes. */
  static final int REASONS = 5;

  /** Without a job timeout to stay under (a run by hand), the main node waits this long at most. */
  static final Duration DEFAULT_WAIT = Duration.ofHours(4);

  /**
   * How long the main node may wait for the others: what is left of the job's attempt timeout
   * ({@code OBSERVES_JOB_TIMEOUT_SECONDS}, set by the submission and the job definition) since this
   * process started, less a margin to fail with the names of the silent segments before Batch kills
   * the job without them; {@code OBSERVES_NODE_WAIT_SECONDS} only shortens it.
   */
  static Duration waitBudget(Environment env, long startedMillis, long nowMillis) {
    Duration budget = DEFAULT_WAIT;
    Optional<Integer> timeout = env.integer("OBSERVES_JOB_TIMEOUT_SECONDS");
    if (timeout.isPresent()) {
      Duration attempt = Duration.ofSeconds(timeout.get());
      Duration margin = Duration.ofSeconds(Math.max(120, timeout.get() / 10));
      Duration left = attempt.minusMillis(Math.max(0, nowMillis - startedMillis)).minus(margin);
      budget = left.isNegative() ? Duration.ZERO : left;
    }
    Optional<Integer> asked = env.integer("OBSERVES_NODE_WAIT_SECONDS");
    if (asked.isPresent() && Duration.ofSeconds(asked.get()).compareTo(budget) < 0) {
      budget = Duration.ofSeconds(asked.get());
    }
    return budget;
  }

  private void awaitOthers(String phase, Segment segment, int attempt, RuntimeException own) {
    Duration timeout = waitBudget(env, ManagementFactory.getRuntimeMXBean().getStartTime(),
        System.currentTimeMillis());
    SegmentBoard.Outcome outcome = board.await(phase, segment.total(), attempt, timeout, Duration.ofSeconds(
        env.integer("OBSERVES_NODE_POLL_SECONDS").orElse(15)), System::currentTimeMillis, pause);
    SegmentSet failed = outcome.failed();
    SegmentSet silent = outcome.silent();
    if (failed.isEmpty() && silent.isEmpty()) {
      out.printf("all %d segments of %s are done%n", segment.total(), phase);
      out.flush();
      return;
    }
    // The reasons of the first few failed segments: the board holds them all, the message a few.
    String reasons = Arrays.stream(failed.first(REASONS)).mapToObj(i -> i + ": " + board.reason(phase, i))
        .collect(Collectors.joining("; ")) + (failed.size() > REASONS ? "; ..." : "");
    String failures = failed.isEmpty() ? "" : " failed for segment(s) " + failed + " (" + reasons + ")";
    String silence = silent.isEmpty() ? "" : (failed.isEmpty() ? " failed:" : " and") + " segment(s) " + silent
        + " did not report within " + timeout.toSeconds() + " s";
    throw new IllegalStateException(phase + failures + silence + ". Retry the job (done segments are skipped) or one segment "
        + "by hand: observes etl dynamo " + phase + " --segment N --total-segments " + segment.total(), own);
  }
}
