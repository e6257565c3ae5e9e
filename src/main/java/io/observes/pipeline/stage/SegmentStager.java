package io.observes.pipeline.stage;

import io.observes.pipeline.Json;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableKey;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Compression;
import io.observes.warehouse.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Stages one segment of a source: flattens its records, checks every value, writes rows per table
 * straight into zstd CSV parts (compressed on a thread of their own), uploads each finished part
 * while the next ones are written, and last writes the segment {@link Manifest}. A rerun first deletes the old manifest, so a crash never
 * leaves a manifest that describes a mix of old and new files. One instance per worker thread.
 */
public final class SegmentStager {
  /** Staged parts are zstd: 2.7x faster than gzip level 1 for files 13% smaller. */
  public static final Compression COMPRESSION = Compression.ZSTD;

  /**
   * zstd level 1, chosen by measurement on the staged CSV (docs/performance.md, "zstd level"):
   * compression was the largest cost of staging after flattening.
   */
  public static final int ZSTD_LEVEL = 1;

  /** Parts waiting for their upload at most: local disk holds at most this many finished parts. */
  private static final int UPLOADS_QUEUED = 2;

  /**
   * CSV buffers (64 KiB): one for each table with a part open, and 16 in compression at most (the
   * writer waits beyond). Fewer than the open parts would leave an open part waiting forever.
   */
  private static final int COMPRESSOR_BUFFERS = SegmentRows.ACTIVE_TABLES + 16;

  /**
   * Tuning: nesting depth kept relational, uncompressed bytes per part, local work directory, and the
   * parts' compression and its level (gzip only to stage as versions before zstd staging did).
   */
  public record Settings(int maxDepth, long partBytes, Path workDir, Compression compression, int level) {
    public Settings {
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(compression, "compression");
      if (partBytes < 1024) {
        throw new IllegalArgumentException("parts must hold at least 1 KiB, was " + partBytes);
      }
      compression.checkLevel(level);
    }

    /**
     * Production settings from the environment: nesting kept relational 32 levels deep, 256 MiB
     * parts, the work directory {@code OBSERVES_WORK_DIR} (else the JVM's temporary directory).
     */
    public static Settings from(io.observes.config.Environment env) {
      return new Settings(32, 256L << 20, Path.of(env.getOrDefault("OBSERVES_WORK_DIR", System.getProperty("java.io.tmpdir"))));
    }

    public Settings(int maxDepth, long partBytes, Path workDir) {
      this(maxDepth, partBytes, workDir, COMPRESSION, ZSTD_LEVEL);
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
   * Stages {@code records} as {@code segment} of {@code run} of {@code target} (its schema).
   * {@code known} gives the declared and cached columns: their order is the files' column order,
   * and a value that does not fit a declared column's type goes to {@code _rejected}; columns it
   * does not know are staged all the same and show up in the manifest's statistics.
   *
   * @param progress called with the number of records staged so far, every 10,000 records
   */
  public Manifest stage(RunId run, String target, Segment segment, Stream<SourceRecord> records, Schema known,
      LongConsumer progress) {
    store.delete(layout.manifest(run, segment.index()));
    Path dir = createWorkDir(run, segment);
    Set<S3Uri> written = ConcurrentHashMap.newKeySet();
    try (PartUploader uploader = new PartUploader(store, UPLOADS_QUEUED, "upload-" + segment.index());
        Compressor compressor = new Compressor(COMPRESSOR_BUFFERS, "compress-" + segment.index())) {
      TableWriter.PartSink sink = (table, part) -> {
        S3Uri uri = layout.part(run, segment.index(), table, part.index(), settings.compression());
        written.add(uri);
        uploader.submit(uri, part.file());
      };
      SegmentRows rows = new SegmentRows(dir, known, dialect, settings, compressor, sink);
      records.forEach(record -> {
        rows.write(record);
        if (rows.records % 10_000 == 0) {
          progress.accept(rows.records);
        }
      });
      progress.accept(rows.records);
      List<TableWriter> writers = rows.writers();
      writers.sort(Comparator.comparing(TableWriter::key));
      writers.forEach(TableWriter::finish);
      compressor.finish();
      uploader.finish();
      Map<TableKey, List<TableWriter.Part>> parts = new HashMap<>();
      writers.forEach(w -> parts.put(w.key(), w.parts()));
      return publish(run, target, segment, known, rows, writers, parts, written);
    } finally {
      deleteQuietly(dir);
    }
  }

  private Manifest publish(RunId run, String target, Segment segment, Schema known, SegmentRows rows,
      List<TableWriter> writers, Map<TableKey, List<TableWriter.Part>> parts, Set<S3Uri> written) {
    List<Manifest.TableManifest> tables = new ArrayList<>();
    for (TableWriter writer : writers) {
      List<Manifest.PartManifest> staged = new ArrayList<>();
      long bytes = 0;
      int width = writer.columns().count();
      for (TableWriter.Part part : parts.get(writer.key())) {
        S3Uri uri = layout.part(run, segment.index(), writer.key(), part.index(), settings.compression());
        long size = part.columns() < width ? pad(uri, width - part.columns()) : part.bytes();
        staged.add(new Manifest.PartManifest(uri.toString(), part.rows(), size));
        bytes += size;
      }
      Map<String, ColumnStats> stats = new LinkedHashMap<>();
      writer.columns().byPath().forEach((path, s) -> stats.put(path.toString(), s));
      tables.add(new Manifest.TableManifest(writer.key().stream(), writer.key().path().toString(),
          new ArrayList<>(stats.keySet()), writer.rows(), rows.rejectedByTable.getOrDefault(writer.key(), 0L), bytes,
          staged, stats, rows.orphans.of(writer.key())));
    }
    Manifest manifest = new Manifest(
        Manifest.FORMAT, dialect.name(), settings.compression().name(), layout.etl(), target, run.value(), segment.index(), segment.total(),
        known.fingerprint(), clock.instant(), rows.records, rows.rejected, tables);
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
   * A part written before its table gained {@code missing} more columns gets NULLs for them: read
   * back, padded, written again in place. Only in a segment whose table grew after its first rows.
   */
  private long pad(S3Uri uri, int missing) {
    try {
      Compression compression = settings.compression();
      Path padded = Files.createTempFile(settings.workDir(), "padded-", compression.suffix());
      try {
        try (InputStream in = compression.decompress(store.open(uri));
            OutputStream out = compression.compress(Files.newOutputStream(padded), settings.level())) {
          PartPadder.pad(in, out, missing, dialect.nullMarkerBytes());
        }
        store.put(uri, padded);
        return Files.size(padded);
      } finally {
        Files.deleteIfExists(padded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not add " + missing + " columns to " + uri + ": " + e.getMessage(), e);
    }
  }

  private Path createWorkDir(RunId run, Segment segment) {
    try {
      Files.createDirectories(settings.workDir());
      return Files.createTempDirectory(settings.workDir(), "observes-" + run + "-" + segment.index() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not create a work directory under " + settings.workDir() + ": " + e.getMessage()
              + "; set OBSERVES_WORK_DIR to a writable directory with room for the segment's data", e);
    }
  }

  /**
   * Best effort, and never the error a failed stage reports: a leftover temp file is not worth failing
   * a staged segment for. A file that is gone by the time it is visited is skipped, not an error:
   * Files.walk threw for it, and its exception replaced the stage's own (S3's "Access Denied").
   */
  private static void deleteQuietly(Path path) {
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          file.toFile().delete();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          dir.toFile().delete();
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException | RuntimeException e) {
      // As above: the stage's own outcome stands.
    }
  }
}
