package io.observes.jobs.warehouse;

import io.observes.pipeline.LeaseGuard;
import io.observes.pipeline.Pipeline;
import io.observes.pipeline.PipelineSettings;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.Streams;
import io.observes.pipeline.Target;
import io.observes.pipeline.load.Publisher;
import io.observes.pipeline.load.StagingPreparer;
import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.warehouse.Dialect;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A scratch target run through the pipeline's own phases, exactly as {@link Pipeline#run} runs a
 * single-segment source, but without writing the run log (a check is not a run of any job): the
 * segment staged by {@link SegmentStager} (zstd CSV parts and manifest in the data bucket), the
 * staging schema prepared by {@link StagingPreparer} ({@code prepareStaging}), each table loaded by
 * {@link TableLoader} (its COPY manifest written, {@code load}), and published by {@link Publisher}
 * ({@code swap}, or {@code publishInPlace} when a stream is merged). Its files and schema cache live
 * under the ETL name's folder of the data bucket.
 */
final class ScratchTarget {
  private final Target target;
  private final Streams streams;
  private final ObjectStore store;
  private final WarehouseClient warehouse;
  private final StageLayout layout;
  private final SchemaCache cache;
  private final SegmentStager.Settings settings;
  private final Clock clock;
  private final Pipeline pipeline;

  ScratchTarget(Target target, Streams streams, ObjectStore store, WarehouseClient warehouse, String dataBucket,
      SegmentStager.Settings settings, Clock clock) {
    this.target = target;
    this.streams = streams;
    this.store = store;
    this.warehouse = warehouse;
    this.cache = new SchemaCache(store, dataBucket, target.etl());
    this.settings = settings;
    this.clock = clock;
    this.pipeline = new Pipeline(target, streams, store, warehouse, PipelineSettings.local(dataBucket, cache, settings, clock));
    this.layout = pipeline.layout();
  }

  Target target() {
    return target;
  }

  /** Phase 1: the records staged as the only segment of {@code run}; the manifest says which files hold what. */
  Manifest stage(RunId run, Schema base, List<SourceRecord> records) {
    return new SegmentStager(store, layout, settings, warehouse.dialect(), clock)
        .stage(run, target.schema(), Segment.only(), records.stream(), base, n -> {});
  }

  /** The schema a run starts from (cache and declared types), as the pipeline computes it. */
  Schema base() {
    return pipeline.baseSchema();
  }

  /** Phase 2: the run's schema pinned, the staging schema prepared afresh. */
  Schema prepare(RunId run, Schema base) {
    return new StagingPreparer(store, layout, cache, warehouse, pipeline.streams(), clock)
        .prepare(target, run, 1, base, pipeline.naming(), false, LeaseGuard.NONE).value();
  }

  /** Phase 3: every staged table loaded into the staging schema. */
  List<TableLoader.TableResult> load(RunId run) {
    return new TableLoader(store, layout, warehouse).load(target, run, 1, Optional.empty()).value();
  }

  /** Phase 4: verified and published (swap, or in place). */
  Publisher.Published publish(RunId run) {
    return new Publisher(store, layout, warehouse, streams).publish(target, run, 1, LeaseGuard.NONE).value();
  }

  /** Phases 1 to 3: the records staged, prepared and loaded; returns the run's pinned schema. */
  Schema stageAndLoad(RunId run, List<SourceRecord> records) {
    Schema base = base();
    stage(run, base, records);
    Schema schema = prepare(run, base);
    load(run);
    return schema;
  }

  /** The warehouse name of a root table's column of a top-level field. */
  static String column(Schema schema, String stream, String field) {
    return table(schema, stream).column(SourcePath.root().field(field)).orElseThrow(() -> new IllegalStateException(
        "the run's schema has no column for " + stream + "." + field)).name();
  }

  static TableSchema table(Schema schema, String stream) {
    return schema.require(TableKey.root(stream));
  }

  /** Dialect the files are staged for. */
  Dialect dialect() {
    return warehouse.dialect();
  }
}
