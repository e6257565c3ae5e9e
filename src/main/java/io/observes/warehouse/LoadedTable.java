package io.observes.warehouse;

import java.util.Objects;

/** A table's bookkeeping row: the rows its load committed and the staged inputs they came from. */
public record LoadedTable(String table, long rows, SegmentInputs inputs, int copies) {
  public LoadedTable {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(inputs, "inputs");
  }
}
