package io.observes.pipeline;

import io.observes.pipeline.load.ManifestReader;
import io.observes.pipeline.load.Publisher;
import io.observes.pipeline.load.PublishedProfiles;
import io.observes.pipeline.load.StagingPreparer;
import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Naming;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.warehouse.Dialect;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The generic fetch -> schema -> flatten -> stage -> load pipeline for one {@link Target}, as four
 * phases that can run in separate processes (AWS Batch nodes) or one after the other:
 *
 * <ol>
 *   <li>{@link #stage}: one segment of the source to S3 (zstd CSV parts + manifest);
 *   <li>{@link #prepare}: schema widened by all manifests, pinned, cached; pristine staging schema
 *       owned by the run;
 *   <li>{@link #load}: every table into the staging schema, one COPY each from all segments' files,
 *       idempotently;
 *   <li>{@link #publish}: verify rows written == rows loaded everywhere, then swap atomically (or,
 *       for a target with merged streams, update it in place in one transaction).
 * </ol>
 *
 * Every phase is idempotent for its run: a rerun whose work is done (a Batch retry after a commit,
 * a rerun by hand) succeeds and says so. Every phase is written to the run log. The pipeline never
 * knows which source it serves.
 */
public final class Pipeline {
  /**
   * Records read ahead of staging at most: a few source pages (a DynamoDB scan page is 1 MB), enough
   * to keep fetch and flatten busy. No more: the records waiting are live objects that every young
   * collection copies, and on one core 32 MiB of them cost the stage step 0.6-1.1 s of GC per 174 MB
   * of input (docs/performance.md, "The stage step on one core"). {@link Prefetch} starts at 256 KiB
   * and goes this far only for a source that makes the stage step wait for its fetches.
   */
  public static final long PREFETCH_BYTES = 4L << 20;

  /** How long table profiles are kept in the run log: the checks look back a few weeks, the report a month. */
  public static final Duration PROFILE_RETENTION = Duration.ofDays(180);

  private final Target target;
  private final Streams streams;
  private final ObjectStore store;
  private final WarehouseClient warehouse;
  private final StageLayout layout;
  private final SchemaCache cache;
  private final SegmentStager.Settings stageSettings;
  private final RunLog runLog;
  private final Clock clock;

  /** A pipeline for {@code target}; {@link Streams#undeclared} for a source that declares no streams. */
  public Pipeline(Target target, Streams streams, ObjectStore store, WarehouseClient warehouse, PipelineSettings settings) {
    this.target = Objects.requireNonNull(target, "target");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.store = Objects.requireNonNull(store, "store");
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.layout = new StageLayout(settings.dataBucket(), target.etl());
    this.cache = settings.cache();
    this.stageSettings = settings.stage();
    this.clock = settings.clock();
    this.runLog = new RunLog(warehouse, clock, settings.origin(), target.schema(), settings.heartbeat(),
        settings.stallLimit());
  }

  public Target target() {
    return target;
  }

  RunLog runLog() {
    return runLog;
  }

  public StageLayout layout() {
    return layout;
  }

  /** The names the warehouse at hand takes. */
  public Naming naming() {
    return naming(warehouse.dialect());
  }

  static Naming naming(Dialect dialect) {
    return new Naming(dialect.maxIdentifierBytes(), dialect.systemColumns());
  }

  public Streams streams() {
    return streams;
  }

  /**
   * The schema a run starts from: the cached one (else none) reconciled with the types the source
   * declares, which win over inferred ones.
   */
  public Schema baseSchema() {
    return baseSchema(cache, target, streams, warehouse.dialect());
  }

  static Schema baseSchema(SchemaCache cache, Target target, Streams streams, Dialect dialect) {
    return cache.read(target).orElse(Schema.empty()).reconcile(streams.declaredTypes(), naming(dialect));
  }

  /** How many segments {@code run} was staged in, from its manifests; {@code given} is cross-checked. */
  public int totalSegments(RunId run, Optional<Integer> given) {
    return new ManifestReader(store, layout).totalSegments(run, given);
  }

  /**
   * When the first segment of {@code run} finished staging (empty: none is staged): a later phase
   * compares it with the moment the run's reads began.
   */
  public Optional<Instant> firstStaged(RunId run, int totalSegments) {
    ManifestReader manifests = new ManifestReader(store, layout);
    return java.util.stream.IntStream.range(0, totalSegments).mapToObj(i -> manifests.read(run, i))
        .flatMap(Optional::stream).map(staged -> staged.manifest().finishedAt()).min(Instant::compareTo);
  }

  /**
   * Phase 1: stages one segment of {@code records}. A segment already staged for the run (its
   * manifest exists) is kept unless {@code restage}; a published run is not staged again.
   */
  public PhaseResult<Optional<Manifest>> stage(RunId run, Segment segment, Stream<SourceRecord> records, Schema base, LongConsumer progress, boolean restage) {
    return stage(run, segment, records, base, progress, restage, () -> 0);
  }

  /**
   * Phase 1, watched: it makes progress while the stager takes records and while {@code reading}
   * (the source's own count of records and requests, e.g. {@link ReadProgress#activity}) grows; with
   * neither for longer than the stall limit it is stopped ({@link RunLog}).
   */
  public PhaseResult<Optional<Manifest>> stage(RunId run, Segment segment, Stream<SourceRecord> records, Schema base,
      LongConsumer progress, boolean restage, LongSupplier reading) {
    AtomicLong taken = new AtomicLong();
    return runLog.phase(target.etl(), run, "stage", segment.index(), null, () -> taken.get() + reading.getAsLong(), () -> {
      if (!restage) {
        Optional<String> published = Publication.of(warehouse, target).publishedNote(run);
        Optional<ManifestReader.Staged> staged = new ManifestReader(store, layout).readIfCurrent(run, segment.index());
        staged.ifPresent(s -> ManifestReader.requireStagedFor(s, target, warehouse.dialect().name()));
        if (published.isPresent() || staged.isPresent()) {
          records.close();
          String note = published.orElse("segment " + segment + " of run " + run + " is already staged ("
              + layout.manifest(run, segment.index()) + "); pass --restage to stage it again");
          return new RunLog.Outcome<>(PhaseResult.alreadyDone(staged.map(ManifestReader.Staged::manifest), note), List.of());
        }
      }
      Manifest manifest;
      try (Stream<SourceRecord> prefetched = Prefetch.of(records, PREFETCH_BYTES, "fetch-" + segment.index())) {
        manifest = new SegmentStager(store, layout, stageSettings, warehouse.dialect(), clock)
            .stage(run, target.schema(), segment, prefetched.peek(r -> taken.incrementAndGet()), base, progress);
      }
      List<TableCounts> counts = new ArrayList<>();
      manifest.tables().forEach(t -> counts.add(TableCounts.unnamed(t.key().toString(), t.rows(), t.rejected(), t.bytes())));
      return new RunLog.Outcome<>(PhaseResult.done(Optional.of(manifest)), counts);
    });
  }

  /**
   * Phase 2: every segment's manifest -> widened, pinned, cached schema; a pristine staging schema
   * owned by the run. Already prepared from the same manifests (or published): nothing to do, unless
   * {@code force}.
   */
  public PhaseResult<Schema> prepare(RunId run, int totalSegments, Schema base, boolean force) {
    return prepare(run, totalSegments, base, force, LeaseGuard.NONE);
  }

  /** Phase 2 under a run lease: refused, taking nothing over, once the lease is another run's. */
  public PhaseResult<Schema> prepare(RunId run, int totalSegments, Schema base, boolean force, LeaseGuard lease) {
    return runLog.phase(target.etl(), run, "prepare", null, () -> new RunLog.Outcome<>(
        new StagingPreparer(store, layout, cache, warehouse, streams, clock)
            .prepare(target, run, totalSegments, base, naming(), force, lease),
        List.of()));
  }

  /**
   * Phase 3: loads every table of the run into the staging schema, each once from all segments'
   * files; a table loaded before is skipped. With {@code onlySegment}, only the tables that segment
   * staged.
   */
  public PhaseResult<List<TableLoader.TableResult>> load(RunId run, int totalSegments, Optional<Integer> onlySegment) {
    return runLog.phase(target.etl(), run, "load", onlySegment.orElse(null), () -> {
      PhaseResult<List<TableLoader.TableResult>> results =
          new TableLoader(store, layout, warehouse).load(target, run, totalSegments, onlySegment);
      return new RunLog.Outcome<>(results, results.value().stream().map(TableLoader.TableResult::counts).toList());
    });
  }

  /** Phase 4: verifies every segment arrived, then swaps staging into the target. */
  public PhaseResult<Map<String, Long>> publish(RunId run, int totalSegments) {
    return publish(run, totalSegments, LeaseGuard.NONE);
  }

  /** Phase 4 under a run lease: refused, publishing nothing, once the lease is another run's. */
  public PhaseResult<Map<String, Long>> publish(RunId run, int totalSegments, LeaseGuard lease) {
    return publish(run, totalSegments, lease, null);
  }

  /**
   * Phase 4 under a run lease, of data as of {@code dataAsOf} (an export's snapshot time; null: as
   * of the run), which the run log records with the publish for freshness checks.
   */
  public PhaseResult<Map<String, Long>> publish(RunId run, int totalSegments, LeaseGuard lease, Instant dataAsOf) {
    PhaseResult<Publisher.Published> published = publishTables(run, totalSegments, lease, dataAsOf);
    return new PhaseResult<>(published.value().rows(), published.alreadyDone());
  }

  /**
   * {@link #publish(RunId, int, LeaseGuard, Instant)}, telling per table also what the publish did to
   * the target's table (rows inserted, updated, deleted), as the run log records it.
   */
  public PhaseResult<Publisher.Published> publishTables(RunId run, int totalSegments, LeaseGuard lease, Instant dataAsOf) {
    return runLog.phase(target.etl(), run, "publish", null, () -> {
      PhaseResult<Publisher.Published> published =
          new Publisher(store, layout, warehouse, streams).publish(target, run, totalSegments, lease);
      List<TableCounts> counts = new ArrayList<>();
      PublishedProfiles.Taken profiles = published.value().profiles();
      if (!profiles.tables().isEmpty()) {
        new RunProfiles(warehouse, target, clock).record(run, profiles);
      }
      if (published.alreadyDone().isEmpty()) {
        published.value().tables().forEach(t -> counts.add(TableCounts.named(t.key(), t.name(), t.rows(), t.rows(), 0, 0)
            .with(t.changes())));
      }
      return new RunLog.Outcome<>(published, counts, null, published.alreadyDone().isEmpty() ? dataAsOf : null);
    });
  }

  /** The time the profiling scans of {@code run}'s publish took, as the run log recorded them (zero: none). */
  public Duration profilingTime(RunId run) {
    return new RunProfiles(warehouse, target, clock).took(run);
  }

  /**
   * Schema determination: a full pass over every segment ({@code concurrency} at a time) that only
   * records statistics, then the base schema widened by them, written to the cache.
   */
  public SchemaInference.Result determineSchema(RunId run, int total, int concurrency,
      IntFunction<Stream<SourceRecord>> segments, Schema base) {
    return new SchemaDetermination(this, runLog, cache, stageSettings.maxDepth()).determine(run, total, concurrency, segments, base);
  }

  /** All four phases in this process for a source read as a single segment. */
  public Map<String, Long> run(RunId run, Stream<SourceRecord> records, LongConsumer progress) {
    Schema base = baseSchema();
    stage(run, Segment.only(), records, base, progress, false);
    prepare(run, 1, base, false);
    load(run, 1, Optional.empty());
    return publish(run, 1).value();
  }
}
