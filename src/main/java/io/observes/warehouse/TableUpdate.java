package io.observes.warehouse;

import java.util.Objects;

/**
 * How one staged table reaches a target that is updated in place (a target with merged streams):
 * replaced whole, merged by row id (a root table: rows with the ids of the staged rows are
 * replaced), merged by root (a child table: the rows of every staged root are replaced), the
 * rejected values, which follow the rows they belong to, or retired (a table the source no longer
 * writes, dropped with its rejected values so no reader takes its frozen rows for current ones).
 *
 * <p>A root table merged by id may be <em>versioned</em>: {@code versionColumn} holds each row's
 * source write time (a whole number that grows with every write), and a staged row replaces the
 * target's only when it is newer, so re-applying or overlapping changes never takes a row back in
 * time. {@code deletedColumn} (versioned tables only) marks a staged row as a deletion: the target's
 * row goes with its child rows and rejected values, and the deletion's version is kept (in the
 * target's {@code _observes_deleted}) so that an older image applied later does not bring it back.
 *
 * @param rootTable the root table of a {@link Mode#MERGE_BY_ROOT} table, else null
 * @param versionColumn a versioned root table's version column, else null
 * @param deletedColumn a versioned root table's deletion marker column, else null
 */
public record TableUpdate(TableDefinition table, Mode mode, String rootTable, String versionColumn,
    String deletedColumn) {
  /** What happens to the target's rows. */
  public enum Mode { REPLACE, MERGE_BY_ID, MERGE_BY_ROOT, REJECTED_VALUES, RETIRED }

  public TableUpdate {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    if ((mode == Mode.MERGE_BY_ROOT) != (rootTable != null)) {
      throw new IllegalArgumentException("a table merged by root names its root table, and only such a table: " + table.name());
    }
    if (versionColumn != null && mode != Mode.MERGE_BY_ID || deletedColumn != null && versionColumn == null) {
      throw new IllegalArgumentException("only a root table merged by id is versioned, and only a versioned one has "
          + "deletions: " + table.name());
    }
    for (String column : new String[] {versionColumn, deletedColumn}) {
      if (column != null && table.columns().stream().noneMatch(c -> c.name().equals(column))) {
        throw new IllegalArgumentException("table " + table.name() + " has no column " + column);
      }
    }
  }

  public TableUpdate(TableDefinition table, Mode mode, String rootTable) {
    this(table, mode, rootTable, null, null);
  }

  public boolean versioned() {
    return versionColumn != null;
  }

  /** The table as the target holds it: without the deletion marker, which only staging needs. */
  public TableDefinition target() {
    return deletedColumn == null ? table : new TableDefinition(table.name(), table.comment(),
        table.columns().stream().filter(c -> !c.name().equals(deletedColumn)).toList());
  }
}
