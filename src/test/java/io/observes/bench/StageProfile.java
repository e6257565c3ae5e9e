package io.observes.bench;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.Prefetch;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.warehouse.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The stage step alone (upload excluded) on one JSON-lines file, as the stage phase runs it (the
 * source read ahead), repeated, for a profiler:
 * {@code bench/profile-stage.sh FILE.jsonl [ROUNDS]} records a JFR of it.
 */
public final class StageProfile {
  private StageProfile() {}

  public static void main(String[] args) throws Exception {
    JsonlInput input = new JsonlInput(Path.of(args[0]), "records");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createDirectories(Path.of("target", "profile-work"));
    for (int round = 1; round <= rounds; round++) {
      long t0 = System.nanoTime();
      // Read ahead on a thread of its own, as the stage phase reads its source (Pipeline.stage).
      try (Stream<SourceRecord> records = Prefetch.of(input.records(new AtomicLong()), Pipeline.PREFETCH_BYTES, "fetch")) {
        new SegmentStager(new DiscardingStore(), new StageLayout("p", "p"), new SegmentStager.Settings(32, 256L << 20, work),
            Dialect.POSTGRESQL, Clock.systemUTC())
            .stage(new RunId("p" + round), "p", Segment.only(), records, Schema.empty(), n -> {});
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "round %d: %.2f s, %.1f MB/s of input%n", round, seconds, input.bytes() / 1e6 / seconds);
    }
  }
}
