package io.observes.pipeline;

import io.observes.warehouse.RunEntry;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every phase of every run to {@code observes_meta.runs} (started, finished, status, error)
 * and its per-table counts to {@code observes_meta.run_tables}. A phase that throws is logged as
 * FAILED with its message and its exception goes on to the caller unchanged: when recording the end
 * fails too, that failure is logged and attached as suppressed, never put in the job's place.
 */
public final class RunLog {
  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  private final WarehouseClient warehouse;
  private final Clock clock;
  private boolean ready;

  public RunLog(WarehouseClient warehouse, Clock clock) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What a phase reports: its result, the per-table counts to log and, for a whole run of a
   * differential source, the state it left (null: none, or not advanced).
   */
  public record Outcome<T>(T result, List<TableCounts> tables, String stateAfter) {
    public Outcome(T result, List<TableCounts> tables) {
      this(result, tables, null);
    }
  }

  public <T> T phase(String job, RunId run, String phase, Integer segment, Supplier<Outcome<T>> work) {
    return phase(job, run, phase, segment, null, work);
  }

  /** As {@link #phase(String, RunId, String, Integer, Supplier)}, logging the state the work starts from. */
  public <T> T phase(String job, RunId run, String phase, Integer segment, String stateBefore, Supplier<Outcome<T>> work) {
    ensure();
    RunEntry entry = new RunEntry(job, run.value(), phase, segment, clock.instant());
    warehouse.recordRunStart(entry);
    if (stateBefore != null) {
      warehouse.recordRunState(entry, stateBefore, null);
    }
    Outcome<T> outcome;
    try {
      outcome = work.get();
    } catch (RuntimeException | Error e) {
      try {
        warehouse.recordRunEnd(entry, clock.instant(), "FAILED", String.valueOf(e.getMessage()));
      } catch (RuntimeException logFailure) {
        LOG.warn("recording the failure of {} {} of run {} in the run log failed too: {}", job, phase, run,
            logFailure.getMessage());
        e.addSuppressed(logFailure);
      }
      throw e;
    }
    try {
      for (TableCounts counts : outcome.tables()) {
        warehouse.recordRunTable(entry, counts);
      }
      if (outcome.stateAfter() != null) {
        warehouse.recordRunState(entry, stateBefore, outcome.stateAfter());
      }
      warehouse.recordRunEnd(entry, clock.instant(), "SUCCEEDED", null);
    } catch (RuntimeException e) {
      throw new IllegalStateException("the work of " + phase + (segment == null ? "" : " segment " + segment) + " of run "
          + run + " is done, but recording it in the run log failed: " + e.getMessage()
          + ". Rerun the phase: it finds its work done and records it.", e);
    }
    return outcome.result();
  }

  private synchronized void ensure() {
    if (!ready) {
      warehouse.ensureRunLog();
      ready = true;
    }
  }
}
