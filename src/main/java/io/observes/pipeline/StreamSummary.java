package io.observes.pipeline;

import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stream of a source as the warehouse holds it: its root table, how many records it had, its
 * columns and its child tables (lists). For a single-table source, one stream per entity type.
 */
public record StreamSummary(String stream, String table, long records, int columns, int childTables) {
  public StreamSummary {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(table, "table");
  }

  /** A summary per stream of {@code schema}, by table name, with the records counted per stream. */
  public static List<StreamSummary> of(Schema schema, Map<String, Long> recordsByStream) {
    List<StreamSummary> streams = new ArrayList<>();
    for (TableSchema table : schema.tables()) {
      if (!table.key().isRoot() || table.key().stream().equals(Schema.REJECTED_TABLE)) {
        continue;
      }
      long children = schema.tables().stream()
          .filter(t -> !t.key().isRoot() && t.key().stream().equals(table.key().stream()))
          .count();
      streams.add(new StreamSummary(table.key().stream(), table.name(),
          recordsByStream.getOrDefault(table.key().stream(), 0L), table.columns().size(), (int) children));
    }
    streams.sort(Comparator.comparing(StreamSummary::table));
    return streams;
  }
}
