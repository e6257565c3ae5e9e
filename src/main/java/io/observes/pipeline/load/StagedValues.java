package io.observes.pipeline.load;

import io.observes.pipeline.RunId;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.warehouse.StagedCounts;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the staged files of a run hold per warehouse table, from its segments' manifests: the rows,
 * and per column the non-NULL values the stage step counted ({@link ColumnStats#values()}, summed over
 * the segments). These are the table's counts once a swap published it, exactly:
 * <ul>
 *   <li>the stage step counts a value when it writes it, after every rejection: a value sent to
 *       {@code _rejected} is neither counted nor written, and reads NULL in its table;</li>
 *   <li>every written value is quoted, and a quoted value never loads as NULL (NULL is the dialect's
 *       unquoted marker; empty text and the marker's own text round-trip, {@code PipelineIntegrationTest}),
 *       nor does the COPY turn one into NULL: values were checked against their column's type;</li>
 *   <li>a column a segment did not have is NULL in its rows (padded, or left out of its COPY), and
 *       absent from its statistics: it counts none there;</li>
 *   <li>the bookkeeping columns ({@code _observes_id}, and a child's {@code _parent_id}, {@code _root_id},
 *       {@code _index}) are written in every row.</li>
 * </ul>
 * A child table's orphans are the sum of its segments' (each counted record by record, and a row's
 * parent is in its record, so in its segment); a segment that did not count them (a manifest written
 * before) leaves them null, to be read.
 * A table whose manifests lack statistics or name a column its schema lacks gets no counts (it is
 * scanned); so does {@code _rejected}, whose {@code table_name} the publish fills after the load.
 */
final class StagedValues {
  private StagedValues() {}

  static Map<String, StagedCounts> of(RunId run, Schema schema, Collection<Manifest> manifests) {
    Map<String, Long> rows = new HashMap<>();
    Map<String, Map<SourcePath, Long>> values = new HashMap<>();
    Set<String> unknown = new HashSet<>();
    Map<String, Long> orphans = new HashMap<>();
    Set<String> uncounted = new HashSet<>();
    Map<String, TableSchema> byKey = new HashMap<>();
    schema.tables().forEach(t -> byKey.put(t.key().toString(), t));
    for (Manifest manifest : manifests) {
      for (Manifest.TableManifest staged : manifest.tables()) {
        TableSchema table = byKey.get(staged.key().toString());
        if (table == null) {
          continue;
        }
        rows.merge(table.name(), staged.rows(), Long::sum);
        if (staged.orphans() == null) {
          uncounted.add(table.name());
        } else {
          orphans.merge(table.name(), staged.orphans(), Long::sum);
        }
        Optional<Map<SourcePath, Long>> counted = counted(staged, table);
        if (counted.isEmpty()) {
          unknown.add(table.name());
        } else {
          counted.get().forEach((path, n) -> values.computeIfAbsent(table.name(), k -> new HashMap<>()).merge(path, n, Long::sum));
        }
      }
    }
    Map<String, StagedCounts> counts = new LinkedHashMap<>();
    for (TableSchema table : schema.tables()) {
      if (table.key().equals(StagingPreparer.REJECTED) || unknown.contains(table.name())) {
        continue;
      }
      long tableRows = rows.getOrDefault(table.name(), 0L);
      Map<SourcePath, Long> tableValues = values.getOrDefault(table.name(), Map.of());
      Map<String, Long> columns = new LinkedHashMap<>();
      table.bookkeeping().forEach(b -> columns.put(b.column(), tableRows));
      for (Column column : table.columns()) {
        columns.put(column.name(), tableValues.getOrDefault(column.path(), 0L));
      }
      // More values than rows cannot be the table's: scanned rather than trusted.
      if (columns.values().stream().allMatch(n -> n <= tableRows)) {
        // A segment that did not count them leaves them to the join; a segment without the table has none.
        Long tableOrphans = table.key().isRoot() || uncounted.contains(table.name()) ? null
            : orphans.getOrDefault(table.name(), 0L);
        counts.put(table.name(), new StagedCounts(run.value(), tableRows, columns, tableOrphans));
      }
    }
    return counts;
  }

  /** The values per column of one segment's table, or empty when they cannot be told apart by column. */
  private static Optional<Map<SourcePath, Long>> counted(Manifest.TableManifest staged, TableSchema table) {
    if (staged.stats() == null) {
      return Optional.empty();
    }
    Map<SourcePath, Long> counted = new HashMap<>();
    for (String path : staged.columns()) {
      ColumnStats stats = staged.stats().get(path);
      SourcePath source = SourcePath.parse(path);
      if (stats == null || table.column(source).isEmpty()) {
        return Optional.empty();
      }
      counted.put(source, stats.values());
    }
    // Statistics of a path the files have no column for would be values the table cannot hold.
    if (!staged.columnPaths().containsAll(staged.stats().keySet().stream().map(SourcePath::parse).toList())) {
      return Optional.empty();
    }
    return Optional.of(counted);
  }
}
