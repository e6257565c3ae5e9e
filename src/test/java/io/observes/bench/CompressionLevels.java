package io.observes.bench;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.Prefetch;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Compression;
import io.observes.warehouse.Dialect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The compression level of staged parts, chosen by measurement: the CSV the stage step writes for a
 * JSON-lines file (its first {@code MB} megabytes, uncompressed), compressed on one thread in the
 * 64 KiB pieces the stage step hands over, at each level of gzip and zstd: MB/s of CSV and ratio.
 * {@code bench/compression-levels.sh FILE.jsonl [MB]} or {@code --records N [MB]}.
 */
public final class CompressionLevels {
  private CompressionLevels() {}

  /** A store that keeps the uncompressed CSV of the parts put, up to a size. */
  private static final class CsvSample extends DiscardingStore {
    final ByteArrayOutputStream csv = new ByteArrayOutputStream();
    final long most;

    CsvSample(long most) {
      this.most = most;
    }

    @Override
    public void put(S3Uri uri, Path file) {
      super.put(uri, file);
      if (csv.size() >= most || !uri.key().endsWith(SegmentStager.COMPRESSION.suffix())) {
        return;
      }
      try (InputStream in = SegmentStager.COMPRESSION.decompress(Files.newInputStream(file))) {
        byte[] part = in.readAllBytes();
        csv.write(part, 0, (int) Math.min(part.length, most - csv.size()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Counts what it is given, keeps nothing. */
  private static final class Counting extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  public static void main(String[] args) throws Exception {
    // "--records N": the benchmark's generated records, as bench/run.sh --records N writes them.
    JsonlInput input = args[0].equals("--records")
        ? JsonlInput.generated(Path.of("target", "bench-input-" + args[1] + "-20240601.jsonl"), Integer.parseInt(args[1]),
            20240601L)
        : new JsonlInput(Path.of(args[0]), "records");
    args = args[0].equals("--records") ? java.util.Arrays.copyOfRange(args, 2, args.length) : args;
    long most = (args.length > 1 ? Long.parseLong(args[1]) : 150) * 1_000_000L;
    Path work = Files.createDirectories(Path.of("target", "levels-work"));
    CsvSample sample = new CsvSample(most);
    try (Stream<SourceRecord> records = Prefetch.of(input.records(new AtomicLong()), Pipeline.PREFETCH_BYTES, "fetch")) {
      new SegmentStager(sample, new StageLayout("l", "l"), new SegmentStager.Settings(32, 64L << 20, work),
          Dialect.POSTGRESQL, Clock.systemUTC()).stage(new RunId("levels"), "l", Segment.only(), records, Schema.empty(), n -> {});
    }
    byte[] csv = sample.csv.toByteArray();
    System.out.printf(Locale.ROOT, "%.1f MB of staged CSV from %s, one thread, 64 KiB writes, best of 3%n",
        csv.length / 1e6, input.file());
    System.out.println("| compression | level | MB/s of CSV | ratio |");
    System.out.println("| --- | --- | --- | --- |");
    for (int level : List.of(1, 2, 3, 6)) {
      measure(Compression.GZIP, level, csv);
    }
    for (int level : List.of(-5, -3, -1, 1, 2, 3, 4, 6)) {
      measure(Compression.ZSTD, level, csv);
    }
  }

  private static void measure(Compression compression, int level, byte[] csv) throws IOException {
    long best = Long.MAX_VALUE;
    long size = 0;
    for (int round = 0; round < 3; round++) {
      Counting out = new Counting();
      long t0 = System.nanoTime();
      try (OutputStream compressing = compression.compress(out, level)) {
        for (int at = 0; at < csv.length; at += 1 << 16) {
          compressing.write(csv, at, Math.min(1 << 16, csv.length - at));
        }
      }
      best = Math.min(best, System.nanoTime() - t0);
      size = out.bytes;
    }
    System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f |%n", compression.name().toLowerCase(Locale.ROOT), level,
        csv.length / 1e6 / (best / 1e9), (double) csv.length / size);
  }
}
