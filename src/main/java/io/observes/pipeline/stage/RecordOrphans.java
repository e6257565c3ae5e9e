package io.observes.pipeline.stage;

import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts, per child table, the rows written whose parent row was not written: what the profile's
 * LEFT JOIN to the parent table would find in the staged files. A child row's parent always comes
 * from the same record (the flattener emits a record's rows together), so the check needs only the
 * ids written for the current record: memory bounded by one record, cleared after it.
 *
 * <p>Nothing written today lacks its parent (every flattened row is written; a rejected value leaves
 * its row in place), so the counts are zero; they are counted all the same so that a future change
 * that drops a row is seen in the profile, as the join would see it. (Records that share a key share
 * their rows' ids: were a row of one dropped, the join could still find the other's; with no row
 * dropped the two agree, as {@code StagedProfileTest} and {@code DynamoEtlTest} check against the join.)
 *
 * <p>Cost per row written: one map entry (the id string exists already); per child row, one lookup.
 */
final class RecordOrphans {
  /** A map grown beyond this by one large record is replaced rather than cleared (clear() walks its capacity). */
  private static final int KEPT_CAPACITY = 4096;

  /** The ids written for the current record, with their table. */
  private Map<String, TableKey> written = new HashMap<>();
  /** Child rows of the current record whose parent was not (yet) written. */
  private final List<FlatRow> waiting = new ArrayList<>(0);
  private final Map<TableKey, Long> orphans = new HashMap<>();
  /** Each child table's parent, made once rather than per row. */
  private final Map<TableKey, TableKey> parents = new HashMap<>();

  /** {@code row} was written to the staged files. */
  void written(FlatRow row) {
    TableKey table = row.table();
    // _rejected rows are neither a parent nor a child.
    if (table.stream().equals(Schema.REJECTED_TABLE)) {
      return;
    }
    written.put(row.id(), table);
    // As the join: a row naming no parent (none does) is not counted.
    if (!table.isRoot() && row.parentId() != null && !hasParent(row)) {
      waiting.add(row);
    }
  }

  /** The current record is done: its children still without a parent are orphans. */
  void endRecord() {
    for (FlatRow row : waiting) {
      if (!hasParent(row)) {
        orphans.merge(row.table(), 1L, Long::sum);
      }
    }
    waiting.clear();
    if (written.size() > KEPT_CAPACITY) {
      written = new HashMap<>();
    } else {
      written.clear();
    }
  }

  /** The orphans of a child table so far (null for a root table: it has no parent). */
  Long of(TableKey table) {
    return table.isRoot() ? null : orphans.getOrDefault(table, 0L);
  }

  private boolean hasParent(FlatRow row) {
    return parents.computeIfAbsent(row.table(), TableKey::parent).equals(written.get(row.parentId()));
  }
}
