package io.observes.pipeline;

import io.observes.pipeline.schema.Schema;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Schema determination ({@code determine-schema}): a pass over every segment that only records
 * statistics, merged as segments finish, then the base schema widened by them and written to the
 * cache, so that the next run stages with the columns and types it will need.
 */
final class SchemaDetermination {
  private final Pipeline pipeline;
  private final RunLog runLog;
  private final SchemaCache cache;
  private final int maxDepth;

  SchemaDetermination(Pipeline pipeline, RunLog runLog, SchemaCache cache, int maxDepth) {
    this.pipeline = pipeline;
    this.runLog = runLog;
    this.cache = cache;
    this.maxDepth = maxDepth;
  }

  SchemaInference.Result determine(RunId run, int total, int concurrency, IntFunction<Stream<SourceRecord>> segments,
      Schema base) {
    Target target = pipeline.target();
    AtomicLong scanned = new AtomicLong();
    return runLog.phase(target.etl(), run, "determine-schema", null, null, scanned::get, () -> {
      InferenceMerge merge = new InferenceMerge(maxDepth, 2 * concurrency);
      new SegmentedRun(pipeline, concurrency).onEverySegment(total, "scanning", i -> {
        SchemaInference pass = null;
        try (Stream<SourceRecord> records = Prefetch.of(segments.apply(i), Pipeline.PREFETCH_BYTES, "infer-" + i)) {
          pass = new SchemaInference(maxDepth).observe(records.peek(r -> scanned.incrementAndGet()));
        } finally {
          try {
            merge.add(i, pass);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while merging the schema of segment " + i, e);
          }
        }
      });
      SchemaInference all = merge.merged();
      Schema schema = base.widen(all.stats(), pipeline.naming());
      cache.write(target, schema);
      return new RunLog.Outcome<>(all.result(schema), List.of());
    });
  }
}
