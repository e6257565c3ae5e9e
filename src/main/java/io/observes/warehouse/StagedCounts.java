package io.observes.warehouse;

import java.util.Map;
import java.util.Objects;

/**
 * What the staged files of a table published by a swap hold, as the stage step counted them: the run
 * whose staging schema was swapped in, the rows, and per column of the table its non-NULL values.
 * Such a table holds exactly those files (a load whose COPY count differs from the manifests' is
 * refused, so is a publish whose tables hold other counts), so its rows and NULLs need no scan; the
 * profile uses them only while the schema's owner row still names {@code run}.
 *
 * <p>{@code orphans}: for a child table, its rows whose parent row the staged files lack, as the stage
 * step counted them record by record; null where not counted (a root table, or manifests written
 * before the count), and then the warehouse's LEFT JOIN counts them.
 */
public record StagedCounts(String run, long rows, Map<String, Long> values, Long orphans) {
  public StagedCounts {
    Objects.requireNonNull(run, "run");
    values = Map.copyOf(values);
    if (rows < 0) {
      throw new IllegalArgumentException("rows cannot be negative: " + rows);
    }
    if (orphans != null && (orphans < 0 || orphans > rows)) {
      throw new IllegalArgumentException(orphans + " orphans in " + rows + " rows");
    }
    values.forEach((column, count) -> {
      if (count < 0 || count > rows) {
        throw new IllegalArgumentException("column " + column + " has " + count + " values in " + rows + " rows");
      }
    });
  }

  /** Counts without orphans: those are read from the table. */
  public StagedCounts(String run, long rows, Map<String, Long> values) {
    this(run, rows, values, null);
  }

  /** The NULLs of {@code column}: the rows without a value there. */
  long nulls(String column) {
    return rows - values.get(column);
  }
}
