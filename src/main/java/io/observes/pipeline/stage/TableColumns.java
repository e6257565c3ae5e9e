package io.observes.pipeline.stage;

import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.SourcePath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A staged table's columns, numbered in the order its parts list them, each with the statistics of its
 * values: first the ones the run's base schema knows (in its order), then the ones the table brings.
 * Those are put in path order once ({@link #settle}), so that segments agree on their lists; a column
 * first seen after that goes last.
 */
final class TableColumns {
  private final Map<SourcePath, Integer> columns = new LinkedHashMap<>();
  private final List<ColumnStats> stats = new ArrayList<>();
  private final int known;

  TableColumns(List<SourcePath> known) {
    known.forEach(path -> index(path, Integer.MAX_VALUE));
    this.known = columns.size();
  }

  /** The index of a column, registering it on first sight while the table has fewer than {@code most}; else -1. */
  int index(SourcePath path, int most) {
    Integer index = columns.get(path);
    if (index == null) {
      if (columns.size() >= most) {
        return -1;
      }
      index = columns.size();
      columns.put(path, index);
      stats.add(new ColumnStats());
    }
    return index;
  }

  int count() {
    return columns.size();
  }

  ColumnStats stats(int column) {
    return stats.get(column);
  }

  /** Statistics must follow a renumbering, so they are read only through here once settled. */
  Map<SourcePath, ColumnStats> byPath() {
    Map<SourcePath, ColumnStats> result = new LinkedHashMap<>();
    columns.forEach((path, index) -> result.put(path, stats.get(index)));
    return result;
  }

  /**
   * Puts the columns seen so far beyond the known ones in path order, their statistics with them;
   * returns the new index of each old one.
   */
  int[] settle() {
    List<SourcePath> order = new ArrayList<>(columns.keySet());
    List<SourcePath> fresh = new ArrayList<>(order.subList(known, order.size()));
    fresh.sort(null);
    int[] renumber = new int[order.size()];
    List<ColumnStats> oldStats = new ArrayList<>(stats);
    columns.clear();
    stats.clear();
    for (SourcePath path : order.subList(0, known)) {
      columns.put(path, columns.size());
    }
    fresh.forEach(path -> columns.put(path, columns.size()));
    for (int i = 0; i < order.size(); i++) {
      renumber[i] = columns.get(order.get(i));
    }
    ColumnStats[] reordered = new ColumnStats[order.size()];
    for (int i = 0; i < order.size(); i++) {
      reordered[renumber[i]] = oldStats.get(i);
    }
    stats.addAll(Arrays.asList(reordered));
    return renumber;
  }
}
