package io.observes.pipeline;

import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.flatten.Cell;
import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.flatten.Flattener;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.value.Value;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A full pass over records that only records statistics (kinds, bytes, digits) per table and
 * column, the way staging would: for schema determination without staging any data.
 */
public final class SchemaInference {
  private final Flattener flattener;
  private final CellEncoder encoder = new CellEncoder();
  private final Map<TableKey, Map<SourcePath, ColumnStats>> stats = new HashMap<>();
  private final Map<String, Long> recordsByStream = new HashMap<>();
  private long records;

  /** The schema determined, and per stream what was found. */
  public record Result(Schema schema, List<StreamSummary> streams) {}

  SchemaInference(int maxDepth) {
    this.flattener = new Flattener(maxDepth);
  }

  SchemaInference observe(Stream<SourceRecord> source) {
    try (source) {
      source.forEach(record -> {
        flattener.flatten(record, this::observe);
        records++;
        recordsByStream.merge(record.stream(), 1L, Long::sum);
      });
    }
    return this;
  }

  private void observe(FlatRow row) {
    Map<SourcePath, ColumnStats> table = stats.computeIfAbsent(row.table(), k -> new LinkedHashMap<>());
    for (Cell cell : row.cells()) {
      ColumnStats column = table.computeIfAbsent(cell.path(), p -> new ColumnStats());
      if (cell.value() != Value.Null.INSTANCE) {
        Encoded encoded = encoder.encode(cell.value());
        // Rejected values are not stored, so they do not shape the column.
        if (!encoded.isRejected()) {
          column.observe(encoded.kind(), encoded.utf8().length, encoded.number());
        }
      }
    }
  }

  long records() {
    return records;
  }

  Result result(Schema schema) {
    return new Result(schema, StreamSummary.of(schema, recordsByStream));
  }

  Map<TableKey, Map<SourcePath, ColumnStats>> stats() {
    return stats;
  }

  /** Merges another pass's statistics into this one's. */
  void merge(SchemaInference other) {
    records += other.records;
    other.recordsByStream.forEach((stream, n) -> recordsByStream.merge(stream, n, Long::sum));
    other.stats.forEach((table, columns) -> {
      Map<SourcePath, ColumnStats> mine = stats.computeIfAbsent(table, k -> new LinkedHashMap<>());
      columns.forEach((path, s) -> mine.merge(path, s, ColumnStats::merge));
    });
  }
}
