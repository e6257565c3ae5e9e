package io.observes.warehouse;

import java.util.Objects;

/**
 * How one staged table reaches a target that is updated in place (a target with merged streams):
 * replaced whole, merged by row id (a root table: rows with the ids of the staged rows are
 * replaced), merged by root (a child table: the rows of every staged root are replaced), the
 * rejected values, which follow the rows they belong to, or retired (a table the source no longer
 * writes, dropped with its rejected values so no reader takes its frozen rows for current ones).
 *
 * @param rootTable the root table of a {@link Mode#MERGE_BY_ROOT} table, else null
 */
public record TableUpdate(TableDefinition table, Mode mode, String rootTable) {
  /** What happens to the target's rows. */
  public enum Mode { REPLACE, MERGE_BY_ID, MERGE_BY_ROOT, REJECTED_VALUES, RETIRED }

  public TableUpdate {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    if ((mode == Mode.MERGE_BY_ROOT) != (rootTable != null)) {
      throw new IllegalArgumentException("a table merged by root names its root table, and only such a table: " + table.name());
    }
  }
}
