package io.observes.pipeline.stage;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One table's rows of one segment, spooled to local files of bounded size while the segment is
 * read. A table's columns are only all known at the end, so the spool keeps rows as (column, text)
 * pairs and {@link #finish} writes every part as CSV with the one final column list: one COPY per
 * table and segment. NULL is written as the warehouse dialect's unquoted marker, every value quoted.
 * Memory holds only the column statistics and stream buffers.
 */
final class TableSpool {
  private static final int BUFFER = 1 << 16;
  private static final byte QUOTE = '"';

  private final TableKey key;
  private final Path dir;
  private final long partBytes;
  private final byte[] nullMarker;
  private final Map<SourcePath, Integer> columns = new LinkedHashMap<>();
  private final List<ColumnStats> stats = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private final List<Long> fileRows = new ArrayList<>();
  private DataOutputStream out;
  private long outBytes;
  private long outRows;
  private long rows;

  TableSpool(TableKey key, Path dir, long partBytes, byte[] nullMarker) {
    this.key = key;
    this.dir = dir;
    this.partBytes = partBytes;
    this.nullMarker = nullMarker.clone();
  }

  TableKey key() {
    return key;
  }

  long rows() {
    return rows;
  }

  /** The index of a column, registering it on first sight. */
  int column(SourcePath path) {
    Integer index = columns.get(path);
    if (index == null) {
      index = columns.size();
      columns.put(path, index);
      stats.add(new ColumnStats());
    }
    return index;
  }

  boolean knows(SourcePath path) {
    return columns.containsKey(path);
  }

  int columnCount() {
    return columns.size();
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

  ColumnStats stats(int column) {
    return stats.get(column);
  }

  void write(FlatRow row, int[] cols, byte[][] values, int count) {
    try {
      if (out == null || outBytes >= partBytes) {
        roll();
      }
      out.writeUTF(row.id());
      if (!key.isRoot()) {
        out.writeUTF(row.parentId());
        out.writeUTF(row.rootId());
        out.writeInt(row.index());
      }
      out.writeInt(count);
      long bytes = 40;
      for (int i = 0; i < count; i++) {
        out.writeInt(cols[i]);
        out.writeInt(values[i].length);
        out.write(values[i]);
        bytes += values[i].length + 3;
      }
      outBytes += bytes;
      outRows++;
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException("could not spool a row of " + key + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  private void roll() throws IOException {
    closeCurrent();
    Path file = Files.createTempFile(dir, "spool-", ".bin");
    files.add(file);
    out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
    outBytes = 0;
    outRows = 0;
  }

  private void closeCurrent() throws IOException {
    if (out != null) {
      out.close();
      fileRows.add(outRows);
      out = null;
    }
  }

  /** A written part: local gzip CSV file, rows, compressed bytes. */
  record Part(Path file, long rows, long bytes) {}

  /**
   * Writes each spool file as a gzip CSV part with {@code order} as its column list (columns this
   * spool never saw written as NULL); returns them in order.
   */
  List<Part> finish(List<SourcePath> order) {
    int[] fromSpool = new int[order.size()];
    for (int i = 0; i < order.size(); i++) {
      Integer index = columns.get(order.get(i));
      fromSpool[i] = index == null ? -1 : index;
    }
    if (order.size() < columns.size()) {
      throw new IllegalArgumentException("the column order of " + key + " leaves out some of its columns");
    }
    try {
      closeCurrent();
      List<Part> parts = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Path csv = Files.createTempFile(dir, "part-", ".csv.gz");
        try (InputStream raw = Files.newInputStream(files.get(i));
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, BUFFER));
            OutputStream gz = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(csv), BUFFER), BUFFER)) {
          transcode(in, gz, fileRows.get(i), fromSpool);
        }
        Files.delete(files.get(i));
        parts.add(new Part(csv, fileRows.get(i), Files.size(csv)));
      }
      return parts;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the staged files of " + key + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void transcode(DataInputStream in, OutputStream csv, long count, int[] fromSpool) throws IOException {
    byte[][] row = new byte[columns.size()][];
    for (long r = 0; r < count; r++) {
      Arrays.fill(row, null);
      quoted(csv, in.readUTF().getBytes(US_ASCII));
      if (!key.isRoot()) {
        csv.write(',');
        quoted(csv, in.readUTF().getBytes(US_ASCII));
        csv.write(',');
        quoted(csv, in.readUTF().getBytes(US_ASCII));
        csv.write(',');
        quoted(csv, Integer.toString(in.readInt()).getBytes(US_ASCII));
      }
      int cells = in.readInt();
      for (int c = 0; c < cells; c++) {
        int column = in.readInt();
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        row[column] = value;
      }
      for (int column : fromSpool) {
        byte[] value = column < 0 ? null : row[column];
        csv.write(',');
        if (value == null) {
          csv.write(nullMarker);
        } else {
          quoted(csv, value);
        }
      }
      csv.write('\n');
    }
    if (in.read() != -1) {
      throw new EOFException("spool file of " + key + " has more rows than counted");
    }
  }

  /** RFC 4180: always quoted, quotes doubled. UTF-8 continuation bytes never equal '"'. */
  private static void quoted(OutputStream csv, byte[] value) throws IOException {
    csv.write(QUOTE);
    int start = 0;
    for (int i = 0; i < value.length; i++) {
      if (value[i] == QUOTE) {
        csv.write(value, start, i - start + 1);
        csv.write(QUOTE);
        start = i + 1;
      }
    }
    csv.write(value, start, value.length - start);
    csv.write(QUOTE);
  }

  /** Data columns in file order, with their statistics. */
  Map<SourcePath, ColumnStats> columnStats() {
    Map<SourcePath, ColumnStats> result = new LinkedHashMap<>();
    columns.forEach((path, index) -> result.put(path, stats.get(index)));
    return result;
  }
}
