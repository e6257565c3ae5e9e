package io.observes.pipeline;

import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** The name under which the report gives the time the publish spent profiling its tables. */
  public static final String PROFILING = "profiling (in publish)";

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
    // Part of the publish, shown apart so its cost can be read against the load's.
    phases.put(PROFILING, pipeline.profilingTime(run));
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
    onEverySegment(threads, total, what, work);
  }

  /** Reasons quoted in a failure report; the rest are counted. */
  static final int SHOWN_REASONS = 5;

  /**
   * Runs {@code work} for every segment, {@code threads} at a time, and fails naming every failed
   * segment once all have run. The workers take the next segment number as they go: nothing is held
   * per segment but a bit for each failed one, so a run of a million segments costs what a run of
   * four does, and its failure report stays a few lines.
   */
  static void onEverySegment(int threads, int total, String what, IntConsumer work) {
    Segment.requireTotal(total);
    int workers = Math.min(threads, total);
    AtomicInteger next = new AtomicInteger();
    Failures failures = new Failures();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> running = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            try {
              work.accept(i);
            } catch (RuntimeException | Error e) {
              failures.add(i, e);
            }
          }
        }));
      }
      for (Future<?> worker : running) {
        worker.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what + " segments", e);
    } finally {
      pool.shutdownNow();
    }
    failures.throwIfAny(what);
  }

  /**
   * The failed segments, the distinct reasons of the lowest ones (a few, in segment order, whatever
   * order the threads failed in), and the failure of the lowest segment (the cause).
   */
  private static final class Failures {
    private final SegmentSet segments = new SegmentSet();
    private final Map<String, Integer> reasons = new HashMap<>();
    private boolean moreReasons;
    private int firstSegment = Integer.MAX_VALUE;
    private Throwable first;

    synchronized void add(int segment, Throwable failure) {
      segments.add(segment);
      if (segment < firstSegment) {
        firstSegment = segment;
        first = failure;
      }
      reasons.merge(String.valueOf(failure.getMessage()), segment, Math::min);
      if (reasons.size() > SHOWN_REASONS) {
        moreReasons = true;
        reasons.values().stream().max(Integer::compare).ifPresent(latest -> reasons.values().remove(latest));
      }
    }

    synchronized void throwIfAny(String what) {
      if (segments.isEmpty()) {
        return;
      }
      List<String> shown = reasons.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
      throw new IllegalStateException(String.format(Locale.ROOT, "%s failed for %,d segment(s) %s: %s%s", what, segments.size(),
          segments, String.join(" | ", shown), moreReasons ? " | ..." : ""), first);
    }
  }
}
