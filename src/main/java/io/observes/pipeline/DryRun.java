package io.observes.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.pipeline.load.StagingPreparer;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.state.StateStore;
import io.observes.state.StateVersion;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Dialect;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A source read and staged as a run would, without touching the warehouse, the state or the schema
 * cache: what it would load (tables, rows, columns) and the state it would leave. The staged files
 * stay under the run's folder of the data bucket for a look.
 */
public final class DryRun {
  /** What a run would load, where the files are, and the state before and after. */
  public record Report(RunId run, S3Uri staged, Manifest manifest, Schema schema, List<StreamSummary> streams,
      Optional<StateVersion> before, Optional<JsonNode> after) {}

  private final Source source;
  private final Target target;
  private final ObjectStore store;
  private final StageLayout layout;
  private final SchemaCache cache;
  private final SegmentStager.Settings settings;
  private final Dialect dialect;
  private final StateStore state;
  private final Clock clock;

  public DryRun(Source source, Target target, ObjectStore store, String dataBucket, SchemaCache cache,
      SegmentStager.Settings settings, Dialect dialect, StateStore state, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.target = Objects.requireNonNull(target, "target");
    this.store = Objects.requireNonNull(store, "store");
    this.layout = new StageLayout(dataBucket, target.etl());
    this.cache = Objects.requireNonNull(cache, "cache");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.state = Objects.requireNonNull(state, "state");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Report run(ReadProgress progress) {
    RunId run = RunId.unique(clock.instant());
    Optional<StateVersion> before = source.stateful() ? state.read() : Optional.empty();
    Schema base = Pipeline.baseSchema(cache, target, source.streams(), dialect);
    Batch batch = source.read(Segment.only(), before.map(StateVersion::data), progress);
    DistinctRecords distinct = new DistinctRecords(source.streams());
    Manifest manifest;
    try (var records = Prefetch.of(distinct.filter(batch.records()), Pipeline.PREFETCH_BYTES, "fetch-dry-run")) {
      manifest = new SegmentStager(store, layout, settings, dialect, clock)
          .stage(run, target.schema(), Segment.only(), records, base, n -> { });
    }
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    StagingPreparer.merge(observed, manifest);
    Schema schema = base.widen(observed, Pipeline.naming(dialect));
    Map<String, Long> records = new LinkedHashMap<>();
    manifest.tables().stream().filter(t -> t.key().isRoot()).forEach(t -> records.put(t.key().stream(), t.rows()));
    Optional<JsonNode> after = source.stateful() ? batch.stateAfter() : Optional.empty();
    return new Report(run, layout.run(run), manifest, schema, StreamSummary.of(schema, records), before, after);
  }
}
