package io.observes.pipeline.stage;

import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.warehouse.Compression;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One table's rows of one segment, written straight to compressed CSV parts as they arrive: no second
 * pass over the data. A part's column list is fixed when it is opened: the table's {@link TableColumns}
 * as they are then. The first rows are held back (a few hundred KiB) until the columns they bring are
 * known and settled in path order, so segments agree on their lists; a column first seen later starts
 * a new part with the longer list, and {@link PartPadder} gives earlier parts its NULLs at the end. Every value is quoted, NULL is the
 * dialect's unquoted marker.
 */
final class TableWriter {
  /** Rows held back while the table's columns are still being discovered. */
  static final long HOLD_BYTES = 256 << 10;
  private static final byte QUOTE = '"';

  /** A part is done: its number within the table, the local compressed file, rows, its bytes, and its columns. */
  record Part(int index, Path file, long rows, long bytes, int columns) {}

  /** Where finished parts go (an uploader). */
  interface PartSink {
    void accept(TableKey table, Part part);
  }

  private record HeldRow(String id, String parentId, String rootId, int index, int[] cols, byte[][] values) {}

  private final TableKey key;
  private final Path dir;
  private final long partBytes;
  private final byte[] nullMarker;
  private final Compression compression;
  private final int level;
  private final PartSink sink;
  private final Compressor compressor;
  private final TableColumns columns;
  private final List<Part> parts = new ArrayList<>();
  private List<HeldRow> held = new ArrayList<>();
  private long heldBytes;
  private CsvOut out;
  private Path file;
  private long outBytes;
  private long outRows;
  private int outColumns;
  private long rows;
  private byte[][] line = new byte[16][];

  TableWriter(TableKey key, List<SourcePath> known, Path dir, long partBytes, byte[] nullMarker, Compression compression,
      int level, Compressor compressor, PartSink sink) {
    this.compressor = compressor;
    this.key = key;
    this.dir = dir;
    this.partBytes = partBytes;
    this.nullMarker = nullMarker.clone();
    this.compression = compression;
    this.level = level;
    this.sink = sink;
    this.columns = new TableColumns(known);
  }

  TableKey key() {
    return key;
  }

  long rows() {
    return rows;
  }

  /** The table's columns, numbered as its parts list them; renumbered once, when the held rows are released. */
  TableColumns columns() {
    return columns;
  }

  /** The bytes a value takes in a CSV line: quoted, its quotes doubled, and its comma. */
  static long csvBytes(byte[] value) {
    long bytes = value.length + 3;
    for (byte b : value) {
      if (b == QUOTE) {
        bytes++;
      }
    }
    return bytes;
  }

  void write(FlatRow row, int[] cols, byte[][] values, int count) {
    rows++;
    if (held != null) {
      held.add(new HeldRow(row.id(), row.parentId(), row.rootId(), row.index(), Arrays.copyOf(cols, count),
          Arrays.copyOf(values, count)));
      for (int i = 0; i < count; i++) {
        heldBytes += values[i].length + 16;
      }
      if (heldBytes >= HOLD_BYTES) {
        release();
      }
      return;
    }
    try {
      if (out == null || outBytes >= partBytes || outColumns != columns.count()) {
        open();
      }
      line(row.id(), row.parentId(), row.rootId(), row.index(), cols, values, count);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write a row of " + key + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The columns are settled enough: the ones the held rows brought beyond the known ones are put in
   * path order, and the held rows written.
   */
  private void release() {
    List<HeldRow> rowsHeld = held;
    held = null;
    int[] renumber = columns.settle();
    try {
      for (HeldRow r : rowsHeld) {
        int[] cols = r.cols();
        for (int i = 0; i < cols.length; i++) {
          cols[i] = renumber[cols[i]];
        }
        if (out == null || outBytes >= partBytes) {
          open();
        }
        line(r.id(), r.parentId(), r.rootId(), r.index(), cols, r.values(), cols.length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the rows of " + key + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  private void open() throws IOException {
    close();
    file = Files.createTempFile(dir, "part-", compression.suffix());
    out = new CsvOut(compression.compress(Files.newOutputStream(file), level), compressor);
    outColumns = columns.count();
    outBytes = 0;
    outRows = 0;
  }

  /**
   * Writes what is held back and finishes the current part, if any: once the compressor has closed
   * it, the part is handed on (from the compressor's thread).
   */
  void close() {
    if (held != null && !held.isEmpty()) {
      release();
    }
    if (out == null) {
      return;
    }
    CsvOut finished = out;
    out = null;
    Path partFile = file;
    if (outRows == 0) {
      finished.close(() -> deleteQuietly(partFile));
      return;
    }
    long partRows = outRows;
    int partColumns = outColumns;
    int index;
    synchronized (this) {
      index = parts.size();
      parts.add(new Part(index, partFile, partRows, -1, partColumns));
    }
    finished.close(() -> {
      long bytes;
      try {
        bytes = Files.size(partFile);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the size of " + partFile + ": " + e.getMessage(), e);
      }
      Part part = new Part(index, partFile, partRows, bytes, partColumns);
      synchronized (this) {
        parts.set(index, part);
      }
      sink.accept(key, part);
    });
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // swept with the work directory
    }
  }

  /** Writes what is held back and the current part; every part, once the compressor has finished. */
  void finish() {
    if (held != null) {
      release();
    }
    close();
  }

  /** Every part, in order; after {@link #finish} and the compressor's own finish. */
  synchronized List<Part> parts() {
    return List.copyOf(parts);
  }

  /** Whether rows are held back or a part is open: what an idle table would keep in memory. */
  boolean active() {
    return (held != null && !held.isEmpty()) || out != null;
  }

  private void line(String id, String parentId, String rootId, int index, int[] cols, byte[][] values, int count)
      throws IOException {
    int width = outColumns;
    if (line.length < width) {
      line = new byte[Math.max(width, line.length * 2)][];
    }
    Arrays.fill(line, 0, width, null);
    for (int i = 0; i < count; i++) {
      line[cols[i]] = values[i];
    }
    long before = out.written();
    out.quotedAscii(id);
    if (!key.isRoot()) {
      out.comma();
      out.quotedAscii(parentId);
      out.comma();
      out.quotedAscii(rootId);
      out.comma();
      out.quotedAscii(Integer.toString(index));
    }
    for (int c = 0; c < width; c++) {
      out.comma();
      byte[] value = line[c];
      if (value == null) {
        out.raw(nullMarker);
      } else {
        out.quoted(value);
      }
    }
    out.newline();
    outBytes += out.written() - before;
    outRows++;
  }
}
