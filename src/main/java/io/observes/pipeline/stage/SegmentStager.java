package io.observes.pipeline.stage;

import io.observes.pipeline.Json;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
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
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.value.Value;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Stages one segment of a source: flattens its records, checks every value, spools rows per table,
 * then uploads gzip CSV parts and a Redshift COPY manifest per table, and last the segment
 * {@link Manifest}. A rerun first deletes the old manifest, so a crash never leaves a manifest that
 * describes a mix of old and new files. One instance per worker thread.
 */
public final class SegmentStager {
  /** Tuning: nesting depth kept relational, uncompressed bytes per part, local spool directory. */
  public record Settings(int maxDepth, long partBytes, Path workDir) {
    public Settings {
      Objects.requireNonNull(workDir, "workDir");
      if (partBytes < 1024) {
        throw new IllegalArgumentException("parts must hold at least 1 KiB, was " + partBytes);
      }
    }

    public static Settings defaults() {
      return new Settings(32, 256L << 20, Path.of(System.getProperty("java.io.tmpdir")));
    }
  }

  private final ObjectStore store;
  private final StageLayout layout;
  private final Settings settings;
  private final Dialect dialect;
  private final Clock clock;

  /** A stager writing files for {@code dialect}: its NULL marker, within its column and row limits. */
  public SegmentStager(ObjectStore store, StageLayout layout, Settings settings, Dialect dialect, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Stages {@code records} as {@code segment} of {@code run} of {@code target} (its schema). {@code known} gives the declared (or
   * cached) column types that {@code policy} checks values against; columns it does not know are
   * staged all the same and show up in the manifest's statistics.
   *
   * @param progress called with the number of records staged so far, every 10,000 records
   */
  public Manifest stage(RunId run, String target, Segment segment, Stream<SourceRecord> records, Schema known,
      SchemaPolicy policy, LongConsumer progress) {
    store.delete(layout.manifest(run, segment.index()));
    Path dir = createWorkDir(run, segment);
    try {
      Writer writer = new Writer(dir, known, policy);
      records.forEach(record -> {
        writer.write(record);
        if (writer.records % 10_000 == 0) {
          progress.accept(writer.records);
        }
      });
      progress.accept(writer.records);
      return publish(run, target, segment, known, writer);
    } finally {
      deleteQuietly(dir);
    }
  }

  private Manifest publish(RunId run, String target, Segment segment, Schema known, Writer writer) {
    List<Manifest.TableManifest> tables = new ArrayList<>();
    Set<S3Uri> written = new HashSet<>();
    List<TableSpool> spools = new ArrayList<>(writer.spools.values());
    spools.sort(Comparator.comparing(TableSpool::key));
    for (TableSpool spool : spools) {
      List<Manifest.PartManifest> parts = new ArrayList<>();
      long bytes = 0;
      List<SourcePath> columns = columnOrder(known, spool);
      List<TableSpool.Part> local = spool.finish(columns);
      for (int k = 0; k < local.size(); k++) {
        TableSpool.Part part = local.get(k);
        S3Uri uri = layout.part(run, segment.index(), spool.key(), k);
        store.put(uri, part.file());
        deleteQuietly(part.file());
        written.add(uri);
        parts.add(new Manifest.PartManifest(uri.toString(), part.rows(), part.bytes()));
        bytes += part.bytes();
      }
      Map<SourcePath, ColumnStats> seen = spool.columnStats();
      Map<String, ColumnStats> stats = new LinkedHashMap<>();
      columns.forEach(path -> stats.put(path.toString(), seen.getOrDefault(path, new ColumnStats())));
      tables.add(new Manifest.TableManifest(
          spool.key().stream(),
          spool.key().path().toString(),
          new ArrayList<>(stats.keySet()),
          spool.rows(),
          writer.rejectedByTable.getOrDefault(spool.key(), 0L),
          bytes,
          parts,
          stats));
    }
    Manifest manifest = new Manifest(
        Manifest.FORMAT, dialect.name(), layout.etl(), target, run.value(), segment.index(), segment.total(), known.fingerprint(),
        clock.instant(), writer.records, writer.rejected, tables);
    S3Uri manifestUri = layout.manifest(run, segment.index());
    store.put(manifestUri, Json.write(manifest));
    written.add(manifestUri);
    // Files of an earlier attempt that this one did not rewrite are no longer described by any manifest.
    for (S3Uri stale : store.list(layout.segment(run, segment.index()))) {
      if (!written.contains(stale)) {
        store.delete(stale);
      }
    }
    return manifest;
  }

  /**
   * The column list of a table's files: every column the base schema knows, in its order, then the
   * ones new in this segment by path. Segments staged from the same base schema thus write the same
   * list, so the load needs one COPY per table.
   */
  private static List<SourcePath> columnOrder(Schema known, TableSpool spool) {
    List<SourcePath> order = new ArrayList<>();
    known.table(spool.key()).ifPresent(t -> t.columns().forEach(c -> order.add(c.path())));
    Set<SourcePath> listed = new HashSet<>(order);
    spool.columnStats().keySet().stream().filter(p -> !listed.contains(p)).sorted().forEach(order::add);
    return order;
  }

  /** The per-segment state of one staging pass. */
  private final class Writer {
    private final Path dir;
    private final Schema known;
    private final SchemaPolicy policy;
    private final Flattener flattener = new Flattener(settings.maxDepth());
    private final CellEncoder encoder = new CellEncoder();
    private final RowIds ids = new RowIds();
    private final Map<TableKey, TableSpool> spools = new HashMap<>();
    private final Map<TableKey, Map<SourcePath, Column>> declared = new HashMap<>();
    private final byte[] nullMarker = dialect.nullMarkerBytes();
    /** Room for the NULL markers a row gains when later rows add columns, and for the row ids. */
    private final long maxRowBytes = dialect.maxRowBytes() - (long) dialect.maxColumns() * (nullMarker.length + 1) - 256;
    private int[] cols = new int[64];
    private byte[][] values = new byte[64][];
    private Encoded[] kinds = new Encoded[64];
    private Cell[] sources = new Cell[64];
    private long records;
    private long rejected;
    private final Map<TableKey, Long> rejectedByTable = new HashMap<>();

    Writer(Path dir, Schema known, SchemaPolicy policy) {
      this.dir = dir;
      this.known = known;
      this.policy = policy;
    }

    void write(SourceRecord record) {
      flattener.flatten(record, this::write);
      records++;
    }

    private void write(FlatRow row) {
      TableSpool spool = spools.computeIfAbsent(row.table(), key -> new TableSpool(key, dir, settings.partBytes(), nullMarker));
      List<Cell> cells = row.cells();
      if (cols.length < cells.size()) {
        cols = new int[cells.size() * 2];
        values = new byte[cells.size() * 2][];
        kinds = new Encoded[cells.size() * 2];
        sources = new Cell[cells.size() * 2];
      }
      int count = 0;
      long rowBytes = 0;
      List<FlatRow> rejections = List.of();
      for (Cell cell : cells) {
        String rejection = null;
        if (!spool.knows(cell.path()) && spool.columnCount() >= maxDataColumns(row.table())) {
          rejection = "the table already has " + (spool.columnCount() + bookkeeping(row.table())) + " columns, the most "
              + "the warehouse allows (" + dialect.maxColumns() + "); this value's path would be one more";
        } else {
          // Registered even for a null: a path seen only with nulls is still a column.
          spool.column(cell.path());
        }
        if (cell.value() == Value.Null.INSTANCE && rejection == null) {
          continue;
        }
        Encoded encoded = rejection == null ? encoder.encode(cell.value()) : null;
        if (rejection == null) {
          rejection = encoded.isRejected() ? encoded.rejection() : misfit(row.table(), cell.path(), encoded);
        }
        if (rejection != null) {
          rejections = rejections.isEmpty() ? new ArrayList<>() : rejections;
          rejections.addAll(reject(row, cell, rejection));
          continue;
        }
        cols[count] = spool.column(cell.path());
        values[count] = encoded.utf8();
        kinds[count] = encoded;
        sources[count] = cell;
        rowBytes += TableSpool.csvBytes(encoded.utf8());
        count++;
      }
      if (rowBytes > maxRowBytes) {
        rejections = rejections.isEmpty() ? new ArrayList<>() : rejections;
        count = fitRow(row, count, rowBytes, rejections);
      }
      for (int i = 0; i < count; i++) {
        Encoded encoded = kinds[i];
        spool.stats(cols[i]).observe(encoded.kind(), encoded.utf8().length, encoded.number());
      }
      spool.write(row, cols, values, count);
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
        rowBytes -= TableSpool.csvBytes(values[largest]);
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

    private int bookkeeping(TableKey table) {
      return table.isRoot() ? 1 : Bookkeeping.values().length;
    }

    private int maxDataColumns(TableKey table) {
      return dialect.maxColumns() - bookkeeping(table) - (table.stream().equals(Schema.REJECTED_TABLE) ? 1 : 0);
    }

    private String misfit(TableKey table, SourcePath path, Encoded encoded) {
      if (policy != SchemaPolicy.REJECT) {
        return null;
      }
      Column column = declared.computeIfAbsent(table, this::declaredColumns).get(path);
      if (column == null) {
        return null;
      }
      ColumnStats single = new ColumnStats();
      single.observe(encoded.kind(), encoded.utf8().length, encoded.number());
      return single.fitsIn(column.type())
          ? null
          : "a " + single.exactType() + " value does not fit the declared column type " + column.type();
    }

    private Map<SourcePath, Column> declaredColumns(TableKey table) {
      Map<SourcePath, Column> byPath = new HashMap<>();
      known.table(table).map(TableSchema::columns).orElse(List.of()).forEach(c -> byPath.put(c.path(), c));
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

  private Path createWorkDir(RunId run, Segment segment) {
    try {
      Files.createDirectories(settings.workDir());
      return Files.createTempDirectory(settings.workDir(), "observes-" + run + "-" + segment.index() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not create a spool directory under " + settings.workDir() + ": " + e.getMessage()
              + "; set OBSERVES_WORK_DIR to a writable directory with room for the segment's data", e);
    }
  }

  private static void deleteQuietly(Path path) {
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp file is not worth failing a staged segment for.
    }
  }
}
