package io.observes.pipeline.stage;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.flatten.Cell;
import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.flatten.Flattener;
import io.observes.pipeline.flatten.RowIds;
import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.value.Value;
import io.observes.warehouse.Dialect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one staging pass: each record flattened, every value encoded and checked (warehouse
 * text, the types of declared columns, the warehouse's column and row limits),
 * what does not fit sent to {@code _rejected}, the rest written per table. At most
 * {@link #ACTIVE_TABLES} tables keep rows in memory or a part open; an idle one finishes its part.
 */
final class SegmentRows {
  static final int ACTIVE_TABLES = 48;

  private final Path dir;
  private final Schema known;
  private final Dialect dialect;
  private final SegmentStager.Settings settings;
  private final TableWriter.PartSink sink;
  private final Compressor compressor;
  private final Flattener flattener;
  private final CellEncoder encoder = new CellEncoder();
  private final RowIds ids = new RowIds();
  final RecordOrphans orphans = new RecordOrphans();
  private final Map<TableKey, TableWriter> writers = new HashMap<>();
  /** Tables with rows in memory or a part open, least recently written first. */
  private final LinkedHashMap<TableKey, TableWriter> active = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<TableKey, Map<SourcePath, Column>> declared = new HashMap<>();
  private final byte[] nullMarker;
  /** Room for the NULL markers a row gains when later rows add columns, and for the row ids. */
  private final long maxRowBytes;
  private int[] cols = new int[64];
  private byte[][] values = new byte[64][];
  private Encoded[] kinds = new Encoded[64];
  private Cell[] sources = new Cell[64];
  /** The table of the last row: its writer is the most recently used of {@link #active}. */
  private TableWriter last;
  long records;
  long rejected;
  final Map<TableKey, Long> rejectedByTable = new HashMap<>();

  SegmentRows(Path dir, Schema known, Dialect dialect, SegmentStager.Settings settings,
      Compressor compressor, TableWriter.PartSink sink) {
    this.compressor = compressor;
    this.dir = dir;
    this.known = known;
    this.dialect = dialect;
    this.settings = settings;
    this.sink = sink;
    this.flattener = new Flattener(settings.maxDepth());
    this.nullMarker = dialect.nullMarkerBytes();
    this.maxRowBytes = dialect.maxRowBytes() - (long) dialect.maxColumns() * (nullMarker.length + 1) - 256;
  }

  List<TableWriter> writers() {
    return new ArrayList<>(writers.values());
  }

  void write(SourceRecord record) {
    flattener.flatten(record, this::write);
    orphans.endRecord();
    records++;
  }

  private TableWriter writer(TableKey table) {
    // Rows of one list come one after another: the table written last is already the most recent.
    if (last != null && last.key().equals(table)) {
      return last;
    }
    TableWriter writer = writers.computeIfAbsent(table, key -> new TableWriter(key,
        known.table(key).map(t -> t.columns().stream().map(Column::path).toList()).orElse(List.of()), dir,
        settings.partBytes(), nullMarker, settings.compression(), settings.level(), compressor, sink));
    active.put(table, writer);
    if (active.size() > ACTIVE_TABLES) {
      Iterator<TableWriter> eldest = active.values().iterator();
      TableWriter idle = eldest.next();
      eldest.remove();
      idle.close();
    }
    last = writer;
    return writer;
  }

  private void write(FlatRow row) {
    TableWriter writer = writer(row.table());
    List<Cell> cells = row.cells();
    if (cols.length < cells.size()) {
      cols = new int[cells.size() * 2];
      values = new byte[cells.size() * 2][];
      kinds = new Encoded[cells.size() * 2];
      sources = new Cell[cells.size() * 2];
    }
    int count = 0;
    // At most twice a value's bytes (every byte a doubled quote) and 3: the exact size is counted
    // only for a row this bound puts beyond the limit.
    long rowBound = 0;
    List<FlatRow> rejections = List.of();
    Map<SourcePath, Column> declaredHere = declared.computeIfAbsent(row.table(), this::declaredColumns);
    int most = maxDataColumns(row.table());
    for (Cell cell : cells) {
      String rejection = null;
      // Registered even for a null: a path seen only with nulls is still a column.
      int column = writer.columns().index(cell.path(), most);
      if (column < 0) {
        rejection = "the table already has " + (writer.columns().count() + bookkeeping(row.table())) + " columns, the most "
            + "the warehouse allows (" + dialect.maxColumns() + "); this value's path would be one more";
      }
      if (cell.value() == Value.Null.INSTANCE && rejection == null) {
        continue;
      }
      Encoded encoded = rejection == null ? encoder.encode(cell.value()) : null;
      if (rejection == null) {
        rejection = encoded.isRejected() ? encoded.rejection()
            : declaredHere.isEmpty() ? null : misfit(declaredHere, cell, encoded);
      }
      if (rejection != null) {
        rejections = rejections.isEmpty() ? new ArrayList<>() : rejections;
        rejections.addAll(reject(row, cell, rejection));
        continue;
      }
      cols[count] = column;
      values[count] = encoded.utf8();
      kinds[count] = encoded;
      sources[count] = cell;
      rowBound += 2L * encoded.utf8().length + 3;
      count++;
    }
    if (rowBound > maxRowBytes) {
      long rowBytes = 0;
      for (int i = 0; i < count; i++) {
        rowBytes += TableWriter.csvBytes(values[i]);
      }
      if (rowBytes > maxRowBytes) {
        rejections = rejections.isEmpty() ? new ArrayList<>() : rejections;
        count = fitRow(row, count, rowBytes, rejections);
      }
    }
    for (int i = 0; i < count; i++) {
      Encoded encoded = kinds[i];
      writer.columns().stats(cols[i]).observe(encoded.kind(), encoded.utf8().length, encoded.number());
    }
    writer.write(row, cols, values, count);
    orphans.written(row);
    // After the row: writing these reuses the cell buffers the row was assembled in.
    rejections.forEach(this::write);
  }

  /**
   * A row beyond the warehouse's row limit keeps its smaller values; the largest go to
   * {@code _rejected} (in parts there) until the row fits. Returns the values left.
   */
  private int fitRow(FlatRow row, int count, long rowBytes, List<FlatRow> rejections) {
    while (rowBytes > maxRowBytes && count > 0) {
      int largest = 0;
      for (int i = 1; i < count; i++) {
        if (values[i].length > values[largest].length) {
          largest = i;
        }
      }
      long before = rowBytes;
      rowBytes -= TableWriter.csvBytes(values[largest]);
      rejections.addAll(reject(row, sources[largest], "the row would be " + before + " bytes as CSV; the warehouse "
          + "loads rows of at most " + dialect.maxRowBytes() + " bytes, so its largest values are kept here instead"));
      count--;
      cols[largest] = cols[count];
      values[largest] = values[count];
      kinds[largest] = kinds[count];
      sources[largest] = sources[count];
    }
    return count;
  }

  private static int bookkeeping(TableKey table) {
    return table.isRoot() ? 1 : Bookkeeping.values().length;
  }

  private int maxDataColumns(TableKey table) {
    return dialect.maxColumns() - bookkeeping(table) - (table.stream().equals(Schema.REJECTED_TABLE) ? 1 : 0);
  }

  private String misfit(Map<SourcePath, Column> declaredHere, Cell cell, Encoded encoded) {
    Column column = declaredHere.get(cell.path());
    if (column == null) {
      return null;
    }
    ColumnStats single = new ColumnStats();
    single.observe(encoded.kind(), encoded.utf8().length, encoded.number());
    if (single.fitsIn(column.type())) {
      return null;
    }
    // A number beyond NUMERIC(38) is staged as its text: say it is a number all the same.
    String what = cell.value() instanceof Value.Numeric && encoded.number() == null
        ? "a number beyond NUMERIC(" + ColumnType.MAX_PRECISION + ", <=" + ColumnType.MAX_SCALE + ") (only text holds it)"
        : "a " + single.exactType() + " value";
    return what + " does not fit the declared column type " + column.type();
  }

  private Map<SourcePath, Column> declaredColumns(TableKey table) {
    Map<SourcePath, Column> byPath = new HashMap<>();
    known.table(table).map(TableSchema::columns).orElse(List.of()).stream().filter(Column::declared)
        .forEach(c -> byPath.put(c.path(), c));
    return byPath;
  }

  private List<FlatRow> reject(FlatRow row, Cell cell, String reason) {
    rejected++;
    rejectedByTable.merge(row.table(), 1L, Long::sum);
    List<String> chunks = RejectedValues.chunks(cell.value());
    List<FlatRow> rows = new ArrayList<>(chunks.size());
    for (int part = 0; part < chunks.size(); part++) {
      rows.add(RejectedValues.row(ids, row, cell.path(), reason, chunks.get(part), part, chunks.size()));
    }
    return rows;
  }
}
