package io.observes.pipeline;

import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * All four phases of a segmented run in one process: the segments staged on parallel threads, then
 * prepared, every table loaded once and published. For local runs and small tables; on AWS
 * Batch each phase is its own job. Any failed segment fails the run after the others finish,
 * naming every failed segment.
 */
public final class SegmentedRun {
  /**
   * Time per phase, rows published per table, the streams (entity types) found, and the COPY
   * statements the load ran (one per table when the segments staged the same columns).
   */
  public record Report(Map<String, Duration> phases, Map<String, Long> rows, List<StreamSummary> streams, int copies,
      int segments) {}

  private final Pipeline pipeline;
  private final int threads;
  private final LeaseGuard lease;
  private final LongSupplier reading;

  public SegmentedRun(Pipeline pipeline, int threads) {
    this(pipeline, threads, LeaseGuard.NONE, () -> 0);
  }

  /**
   * A run whose staging is prepared and published only while {@code lease} is its run's, and whose
   * stage phases count {@code reading} (the source's records and requests) as progress.
   */
  public SegmentedRun(Pipeline pipeline, int threads, LeaseGuard lease, LongSupplier reading) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.reading = Objects.requireNonNull(reading, "reading");
    if (threads < 1) {
      throw new IllegalArgumentException("at least one thread is needed, was " + threads);
    }
    this.threads = threads;
  }

  public Report run(RunId run, int total, IntFunction<Stream<SourceRecord>> segments, Schema base) {
    Map<String, Duration> phases = new LinkedHashMap<>();
    timed(phases, "stage", () -> onEverySegment(total, "staging", i ->
        pipeline.stage(run, new Segment(i, total), segments.apply(i), base, n -> {}, false, reading)));
    List<Schema> prepared = new ArrayList<>();
    timed(phases, "prepare", () -> prepared.add(pipeline.prepare(run, total, base, false, lease).value()));
    int[] copies = {0};
    timed(phases, "load", () -> copies[0] = pipeline.load(run, total, Optional.empty()).value().stream()
        .mapToInt(TableLoader.TableResult::copies).sum());
    Map<String, Long> rows = new LinkedHashMap<>();
    timed(phases, "publish", () -> rows.putAll(pipeline.publish(run, total, lease).value()));
    Map<String, Long> records = new LinkedHashMap<>();
    prepared.get(0).tables().stream().filter(t -> t.key().isRoot())
        .forEach(t -> records.put(t.key().stream(), rows.getOrDefault(t.name(), 0L)));
    return new Report(phases, rows, StreamSummary.of(prepared.get(0), records), copies[0], total);
  }

  private static void timed(Map<String, Duration> phases, String phase, Runnable work) {
    long start = System.nanoTime();
    work.run();
    phases.put(phase, Duration.ofNanos(System.nanoTime() - start));
  }

  void onEverySegment(int total, String what, IntConsumer work) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, total));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        int segment = i;
        futures.add(pool.submit(() -> work.accept(segment)));
      }
      Map<Integer, String> failed = new LinkedHashMap<>();
      RuntimeException first = null;
      for (int i = 0; i < total; i++) {
        try {
          futures.get(i).get();
        } catch (ExecutionException e) {
          failed.put(i, String.valueOf(e.getCause().getMessage()));
          first = first == null ? new IllegalStateException(e.getCause().getMessage(), e.getCause()) : first;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while " + what + " segments", e);
        }
      }
      if (!failed.isEmpty()) {
        throw new IllegalStateException(what + " failed for segment(s) " + failed.keySet() + ": "
            + String.join(" | ", failed.values()), first.getCause());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
