package io.observes.pipeline.stage;

import io.observes.pipeline.flatten.Cell;
import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.flatten.RowIds;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of the {@code _rejected} table: which table (by key; the publish phase adds the warehouse
 * name), row and source path a value came from, why it was rejected, and the value itself as
 * lossless JSON text (a NUL becomes {@code \u0000}), split into parts that each fit a VARCHAR(65535).
 */
final class RejectedValues {
  static final int PART_BYTES = 65_000;
  private static final SourcePath ROOT = SourcePath.root();

  private RejectedValues() {}

  static List<String> chunks(Value value) {
    String json = JsonValues.toAsciiJson(value);
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (start < json.length() || parts.isEmpty()) {
      int end = Math.min(json.length(), start + PART_BYTES);
      parts.add(json.substring(start, end));
      start = end;
    }
    return parts;
  }

  static FlatRow row(RowIds ids, FlatRow origin, SourcePath path, String reason, String raw, int part, int parts) {
    List<Cell> cells = List.of(
        new Cell(ROOT.field("table_key"), new Value.Text(origin.table().toString())),
        new Cell(ROOT.field("row_id"), new Value.Text(origin.id())),
        new Cell(ROOT.field("source_path"), new Value.Text(path.toString())),
        new Cell(ROOT.field("reason"), new Value.Text(reason)),
        new Cell(ROOT.field("raw_value"), new Value.Text(raw)),
        new Cell(ROOT.field("raw_part"), Value.Numeric.of(part)),
        new Cell(ROOT.field("raw_parts"), Value.Numeric.of(parts)));
    String id = ids.child(origin.id(), path.toString(), part);
    return new FlatRow(TableKey.root(Schema.REJECTED_TABLE), id, null, null, -1, cells);
  }
}
