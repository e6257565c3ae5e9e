package io.observes.warehouse;

import java.util.Objects;
import java.util.Optional;

/**
 * Per table counts of a run phase: rows written (staged), loaded, rejected, and bytes staged; for
 * the publish, what it did to the target table ({@link RowChanges}). A table is known by its key
 * (where its rows come from, unbounded: a source path) and, once the run's schema has named it, by
 * its warehouse name (bounded by the warehouse's identifier length). The stage phase knows only the
 * key; the preparation names its rows afterwards.
 */
public record TableCounts(String tableKey, Optional<String> tableName, long rowsWritten, long rowsLoaded, long rowsRejected,
    long bytes, Optional<RowChanges> changes) {
  public TableCounts {
    Objects.requireNonNull(tableKey, "tableKey");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(changes, "changes");
  }

  /** Counts of a table the run's schema has named. */
  public static TableCounts named(String tableKey, String tableName, long written, long loaded, long rejected, long bytes) {
    return new TableCounts(tableKey, Optional.of(tableName), written, loaded, rejected, bytes, Optional.empty());
  }

  /** Counts of a table known only by its key so far. */
  public static TableCounts unnamed(String tableKey, long written, long rejected, long bytes) {
    return new TableCounts(tableKey, Optional.empty(), written, 0, rejected, bytes, Optional.empty());
  }

  public TableCounts with(RowChanges changes) {
    return new TableCounts(tableKey, tableName, rowsWritten, rowsLoaded, rowsRejected, bytes, Optional.of(changes));
  }
}
