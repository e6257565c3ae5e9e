package io.observes.bench;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.Prefetch;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.flatten.Cell;
import io.observes.pipeline.flatten.Flattener;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.pipeline.value.Value;
import io.observes.warehouse.Compression;
import io.observes.warehouse.Dialect;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Variants of the stage step taken in turn in one JVM, each its best CPU time of the process over
 * ROUNDS passes after a warm-up pass, to see what one part costs on a shared machine:
 * {@code bench/stage-variants.sh FILE.jsonl ROUNDS a,parse,b,direct,ahead4096,zstd-1}:
 * {@code a} parse + flatten + encode (bench/run.sh's (a)), {@code parse} the reader alone, {@code b}
 * the stage step as the stage phase runs it (read ahead, {@link Pipeline#PREFETCH_BYTES}),
 * {@code direct} the same without read-ahead, {@code ahead<KiB>} with that budget, {@code zstd<level>}
 * at that zstd level.
 */
public final class StageVariants {
  private StageVariants() {}

  public static void main(String[] args) throws Exception {
    JsonlInput input = new JsonlInput(Path.of(args[0]), "records");
    int rounds = Integer.parseInt(args[1]);
    String[] which = args.length > 2 ? args[2].split(",") : new String[] {"a", "b", "direct"};
    Path work = Files.createDirectories(Path.of("target", "variants-work"));
    Map<String, long[]> best = new LinkedHashMap<>();
    for (int round = 0; round <= rounds; round++) {
      for (String variant : which) {
        long c0 = Machine.cpuNanos();
        long t0 = System.nanoTime();
        long gc0 = gcMillis();
        run(variant, input, work);
        long cpu = Machine.cpuNanos() - c0;
        long wall = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "%s %-12s CPU %.2f s, clock %.2f s, GC %d ms%n", round == 0 ? "warm-up" : "round " + round,
            variant, cpu / 1e9, wall / 1e9, gcMillis() - gc0);
        if (round > 0) {
          long[] b = best.computeIfAbsent(variant, k -> new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
          b[0] = Math.min(b[0], cpu);
          b[1] = Math.min(b[1], wall);
        }
      }
    }
    long a = best.containsKey("a") ? best.get("a")[0] : 0;
    best.forEach((variant, b) -> System.out.printf(Locale.ROOT, "best %-12s CPU %.2f s%s, clock %.2f s%n", variant, b[0] / 1e9,
        a == 0 ? "" : String.format(Locale.ROOT, " = %.2fx (a)", (double) b[0] / a), b[1] / 1e9));
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> b.getCollectionTime()).sum();
  }

  private static void run(String variant, JsonlInput input, Path work) {
    if (variant.equals("a")) {
      encode(input);
    } else if (variant.equals("parse")) {
      try (Stream<SourceRecord> all = input.records(new AtomicLong())) {
        all.forEach(r -> { });
      }
    } else if (variant.equals("b")) {
      stage(input, work, Pipeline.PREFETCH_BYTES, SegmentStager.ZSTD_LEVEL);
    } else if (variant.equals("direct")) {
      stage(input, work, 0, SegmentStager.ZSTD_LEVEL);
    } else if (variant.startsWith("ahead")) {
      stage(input, work, Long.parseLong(variant.substring("ahead".length())) << 10, SegmentStager.ZSTD_LEVEL);
    } else if (variant.startsWith("zstd")) {
      stage(input, work, Pipeline.PREFETCH_BYTES, Integer.parseInt(variant.substring("zstd".length())));
    } else {
      throw new IllegalArgumentException("unknown variant " + variant + " (a, parse, b, direct, ahead<KiB>, zstd<level>)");
    }
  }

  private static void stage(JsonlInput input, Path work, long readAhead, int level) {
    SegmentStager.Settings settings = new SegmentStager.Settings(32, 64L << 20, work, Compression.ZSTD, level);
    Stream<SourceRecord> source = input.records(new AtomicLong());
    try (Stream<SourceRecord> records = readAhead > 0 ? Prefetch.of(source, readAhead, "fetch") : source) {
      new SegmentStager(new DiscardingStore(), new StageLayout("v", "v"), settings, Dialect.POSTGRESQL, Clock.systemUTC())
          .stage(new RunId("v"), "v", Segment.only(), records, Schema.empty(), n -> { });
    }
  }

  /** As bench/run.sh's (a). */
  private static void encode(JsonlInput input) {
    Flattener flattener = new Flattener(32);
    CellEncoder encoder = new CellEncoder();
    long[] bytes = new long[1];
    Consumer<io.observes.pipeline.flatten.FlatRow> sink = row -> {
      for (Cell cell : row.cells()) {
        if (cell.value() != Value.Null.INSTANCE) {
          Encoded e = encoder.encode(cell.value());
          bytes[0] += e.isRejected() ? 0 : e.utf8().length;
        }
      }
    };
    try (Stream<SourceRecord> all = input.records(new AtomicLong())) {
      all.forEach(r -> flattener.flatten(r, sink));
    }
  }
}
