package io.observes.pipeline.stage;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.warehouse.Compression;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one segment staged, written after all its files: per table the data columns of its files
 * (source paths, after the bookkeeping columns), the files with their row counts and bytes, and the
 * statistics of every column, the warehouse dialect whose CSV format (NULL marker) the files use,
 * and the target schema the run refreshes (a run id names one refresh of one target), and how the
 * files are compressed. Its presence means the segment's data is complete.
 *
 * <p>Format 4 names the compression ({@code ZSTD}); format 3, written before zstd staging, names
 * none: its files are gzip, and it stays loadable. A table's {@code orphans} came later without a
 * new format: a manifest without them (null) reads as before, and its child tables' orphans are read
 * from the warehouse; a reader that predates them ignores the field.
 */
public record Manifest(
    int format,
    String dialect,
    String compression,
    String etl,
    String target,
    String run,
    int segment,
    int totalSegments,
    String knownSchemaFingerprint,
    Instant finishedAt,
    long records,
    long rejected,
    List<TableManifest> tables) {
  public static final int FORMAT = 4;
  /** Format 3: the same, gzip files, no compression named. */
  static final int GZIP_FORMAT = 3;

  public Manifest {
    tables = List.copyOf(tables);
  }

  /** Whether this version loads a manifest of {@code format}. */
  public static boolean readable(int format) {
    return format == FORMAT || format == GZIP_FORMAT;
  }

  /** How the files are compressed: gzip for a manifest that names nothing (format 3). */
  public Compression compressionOrGzip() {
    return Compression.named(compression, "run " + run + " segment " + segment + "'s manifest");
  }

  /**
   * One table of the segment. Its files hold the columns the run's base schema knows, in its order
   * (absent ones as NULL), then the segment's new ones by path: segments agree on their column list,
   * so one COPY loads the table's files of all of them.
   *
   * <p>{@code orphans}: for a child table, its rows written whose parent row was not written (the
   * stage step checks each record's rows); null for a root table, and in a manifest written before
   * they were counted. Left out of the JSON when null.
   */
  public record TableManifest(
      String stream,
      String path,
      List<String> columns,
      long rows,
      long rejected,
      long bytes,
      List<PartManifest> parts,
      Map<String, ColumnStats> stats,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long orphans) {
    /** A table whose orphans were not counted. */
    public TableManifest(String stream, String path, List<String> columns, long rows, long rejected, long bytes,
        List<PartManifest> parts, Map<String, ColumnStats> stats) {
      this(stream, path, columns, rows, rejected, bytes, parts, stats, null);
    }

    public TableKey key() {
      return new TableKey(stream, SourcePath.parse(path));
    }

    public List<SourcePath> columnPaths() {
      return columns.stream().map(SourcePath::parse).toList();
    }
  }

  /** One staged file. */
  public record PartManifest(String uri, long rows, long bytes) {}
}
