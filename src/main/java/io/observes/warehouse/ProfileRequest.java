package io.observes.warehouse;

import java.util.Objects;

/**
 * What to profile of one published table: its name; the column whose distinct values count (its row
 * id, null: none counted); for a child table, the column naming its parent row, the parent table and
 * the parent's key, so that rows whose parent is gone (orphans) are counted in the same scan; and, for
 * a table a swap published, what its staged files hold (null: not known), so that its rows and NULLs
 * come from them and only its key and orphans are read from the table.
 */
public record ProfileRequest(String table, String keyColumn, String parentColumn, String parentTable, String parentKey,
    StagedCounts staged) {
  public ProfileRequest {
    Objects.requireNonNull(table, "table");
    if ((parentColumn == null) != (parentTable == null) || (parentTable == null) != (parentKey == null)) {
      throw new IllegalArgumentException("a parent link needs its column, table and key together, for table " + table);
    }
  }

  /** A table profiled for its rows and NULLs only. */
  public static ProfileRequest plain(String table) {
    return new ProfileRequest(table, null, null, null, null, null);
  }

  /** A root table: its key's distinct values counted. */
  public static ProfileRequest root(String table, String keyColumn) {
    return new ProfileRequest(table, Objects.requireNonNull(keyColumn, "keyColumn"), null, null, null, null);
  }

  /**
   * A child table: its rows whose {@code parentColumn} names no {@code parentKey} of {@code parentTable},
   * and its key's distinct values if {@code keyColumn} is not null.
   */
  public static ProfileRequest child(String table, String keyColumn, String parentColumn, String parentTable, String parentKey) {
    return new ProfileRequest(table, keyColumn, parentColumn, parentTable, parentKey, null);
  }

  /** This request, its rows and NULLs known from the staged files ({@code staged}). */
  public ProfileRequest withStaged(StagedCounts staged) {
    return new ProfileRequest(table, keyColumn, parentColumn, parentTable, parentKey, staged);
  }

  public boolean hasParent() {
    return parentTable != null;
  }
}
