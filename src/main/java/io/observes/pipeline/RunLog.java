package io.observes.pipeline;

import io.observes.warehouse.RunEntry;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes every phase of every run to {@code observes_meta.runs} (started, finished, status, error)
 * and its per-table counts to {@code observes_meta.run_tables}. A phase that throws is logged as
 * FAILED with its message and the exception goes on to the caller.
 */
public final class RunLog {
  private final WarehouseClient warehouse;
  private final Clock clock;
  private boolean ready;

  public RunLog(WarehouseClient warehouse, Clock clock) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a phase reports: its result and the per-table counts to log. */
  public record Outcome<T>(T result, List<TableCounts> tables) {}

  public <T> T phase(String job, RunId run, String phase, Integer segment, Supplier<Outcome<T>> work) {
    ensure();
    RunEntry entry = new RunEntry(job, run.value(), phase, segment, clock.instant());
    warehouse.recordRunStart(entry);
    try {
      Outcome<T> outcome = work.get();
      for (TableCounts counts : outcome.tables()) {
        warehouse.recordRunTable(entry, counts);
      }
      warehouse.recordRunEnd(entry, clock.instant(), "SUCCEEDED", null);
      return outcome.result();
    } catch (RuntimeException e) {
      warehouse.recordRunEnd(entry, clock.instant(), "FAILED", String.valueOf(e.getMessage()));
      throw e;
    }
  }

  private synchronized void ensure() {
    if (!ready) {
      warehouse.ensureRunLog();
      ready = true;
    }
  }
}
