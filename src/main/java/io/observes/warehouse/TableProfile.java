package io.observes.warehouse;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one scan of a published table found: its rows; per column its type, NULL count and lineage
 * (the column's comment: a source path or {@code derived: ...}); the distinct values of its key
 * column (null: not counted); for a child table the rows whose parent row is missing (null: not a
 * child table); how long its reads took; and where its rows and NULLs were counted.
 */
public record TableProfile(String table, long rows, String keyColumn, Long keyDistinct, String parentTable, Long orphans,
    List<ColumnProfile> columns, Duration took, CountsFrom countsFrom) {
  public TableProfile {
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(countsFrom, "countsFrom");
  }

  /** A profile whose every count was read from the table. */
  public TableProfile(String table, long rows, String keyColumn, Long keyDistinct, String parentTable, Long orphans,
      List<ColumnProfile> columns, Duration took) {
    this(table, rows, keyColumn, keyDistinct, parentTable, orphans, columns, took, CountsFrom.SCANNED);
  }

  /**
   * Where a profile's rows and NULLs come from: the statistics of the staged files of a table a swap
   * published (its key and orphans are still read from the table), or a scan of the table.
   */
  public enum CountsFrom {
    STAGED("staged"),
    SCANNED("scanned");

    private final String label;

    CountsFrom(String label) {
      this.label = label;
    }

    /** As the run log and the reports write it. */
    public String label() {
      return label;
    }

    /** From the run log; a profile recorded before the column existed was a scan. */
    public static CountsFrom of(String label) {
      return STAGED.label.equals(label) ? STAGED : SCANNED;
    }
  }

  /** One column: its name, SQL type as the warehouse reports it, NULL count and lineage (null: no comment). */
  public record ColumnProfile(String name, String type, long nulls, String lineage) {
    public ColumnProfile {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    /** The fraction of {@code rows} that are NULL here; 0 for an empty table. */
    public double nullFraction(long rows) {
      return rows == 0 ? 0 : (double) nulls / rows;
    }
  }

  public java.util.Optional<ColumnProfile> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
