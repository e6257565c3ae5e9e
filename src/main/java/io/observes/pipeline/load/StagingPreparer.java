package io.observes.pipeline.load;

import io.observes.pipeline.LeaseGuard;
import io.observes.pipeline.PhaseResult;
import io.observes.pipeline.Publication;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Streams;
import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Identifiers;
import io.observes.pipeline.schema.Lineage;
import io.observes.pipeline.schema.Naming;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SchemaDocument;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.warehouse.StagingOwner;
import io.observes.warehouse.TableDefinition;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The preparation phase: widens the base schema with every segment's statistics, pins the result
 * for the run, writes it back to the cache, and creates a pristine staging schema owned by the run,
 * with one table per schema table, every table and column commented with where its data comes from.
 * The owner row records a digest of the segments' manifests: a rerun over the same staging finds
 * the schema prepared and leaves it (and the loads in it) alone.
 */
public final class StagingPreparer {
  static final TableKey REJECTED = TableKey.root(Schema.REJECTED_TABLE);
  static final String REJECTED_TABLE_NAME = "table_name";

  private final ObjectStore store;
  private final StageLayout layout;
  private final ManifestReader manifests;
  private final SchemaCache cache;
  private final WarehouseClient warehouse;
  private final Streams streams;
  private final Clock clock;

  public StagingPreparer(ObjectStore store, StageLayout layout, SchemaCache cache, WarehouseClient warehouse, Streams streams,
      Clock clock) {
    this.streams = Objects.requireNonNull(streams, "streams");
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.manifests = new ManifestReader(store, layout);
    this.cache = Objects.requireNonNull(cache, "cache");
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public PhaseResult<Schema> prepare(Target target, RunId run, int totalSegments, Schema base, Naming naming, boolean force,
      LeaseGuard lease) {
    SortedMap<Integer, ManifestReader.Staged> staged = manifests.readAll(run, totalSegments, "Re-run phase1 for them first.");
    String inputs = inputsDigest(staged);
    Publication publication = Publication.of(warehouse, target);
    if (!force) {
      if (publication.stagingOwnedBy(run) && publication.staging().get().inputs().equals(inputs)
          && Objects.equals(publication.staging().get().lease(), lease.token())) {
        return PhaseResult.alreadyDone(PinnedSchema.read(store, layout, run), "run " + run + " already prepared "
            + target.staging() + " from the same " + totalSegments + " staged segments (at "
            + publication.staging().get().prepared() + "); pass --force to prepare it afresh");
      }
      if (publication.publishedNote(run).isPresent()) {
        return PhaseResult.alreadyDone(PinnedSchema.read(store, layout, run), publication.publishedNote(run).get());
      }
    }
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    for (ManifestReader.Staged segment : staged.values()) {
      ManifestReader.requireStagedFor(segment, target, warehouse.dialect().name());
      merge(observed, segment.manifest());
    }
    Schema schema = base.widen(observed, naming);
    List<TableDefinition> definitions = new ArrayList<>();
    for (TableSchema table : schema.tables()) {
      definitions.add(definition(target, table, streams));
    }
    requireColumnLimit(definitions);
    store.put(layout.runSchema(run), SchemaDocument.write(schema));
    cache.write(target, schema);
    warehouse.prepareStaging(target.staging(), new StagingOwner(run.value(), inputs, clock.instant(), lease.token()),
        definitions, lease.check());
    Map<String, String> names = new LinkedHashMap<>();
    schema.tables().forEach(t -> names.put(t.key().toString(), t.name()));
    warehouse.runLog().nameRunTables(target.etl(), run.value(), names);
    return PhaseResult.done(schema);
  }

  /** Which stagings of which segments the schema is prepared from. */
  static String inputsDigest(SortedMap<Integer, ManifestReader.Staged> staged) {
    StringBuilder text = new StringBuilder();
    staged.forEach((segment, s) -> text.append(segment).append('=').append(s.id()).append('\n'));
    return Identifiers.sha256Hex(text.toString()).substring(0, 32);
  }

  private void requireColumnLimit(List<TableDefinition> tables) {
    for (TableDefinition table : tables) {
      if (table.columns().size() > warehouse.dialect().maxColumns()) {
        throw new IllegalStateException("table " + table.name() + " would have " + table.columns().size() + " columns, "
            + "more than the warehouse allows (" + warehouse.dialect().maxColumns() + "): its segments together hold that many "
            + "different paths. Route its items to more tables (--routes) or lower the nesting depth kept relational.");
      }
    }
  }

  /** Adds what {@code manifest} observed, per table and path, to {@code observed}. */
  public static void merge(Map<TableKey, Map<SourcePath, ColumnStats>> observed, Manifest manifest) {
    for (Manifest.TableManifest table : manifest.tables()) {
      Map<SourcePath, ColumnStats> columns = observed.computeIfAbsent(table.key(), k -> new LinkedHashMap<>());
      table.stats().forEach((path, stats) ->
          columns.merge(SourcePath.parse(path), stats.copy(), ColumnStats::merge));
    }
  }

  static TableDefinition definition(Target target, TableSchema table, Streams streams) {
    List<TableDefinition.ColumnDefinition> columns = new ArrayList<>();
    for (Bookkeeping b : table.bookkeeping()) {
      columns.add(new TableDefinition.ColumnDefinition(b.column(), b.type(), b.comment()));
    }
    for (Column c : table.columns()) {
      columns.add(new TableDefinition.ColumnDefinition(c.name(), c.type(), streams.comment(table.key(), c.path())));
    }
    if (table.key().equals(REJECTED)) {
      columns.add(new TableDefinition.ColumnDefinition(REJECTED_TABLE_NAME, ColumnType.varcharExactly(127),
          Lineage.DERIVED + "the warehouse table of the row the value belongs to (filled when the run is published)"));
    }
    return new TableDefinition(table.name(), tableComment(target, table.key()), columns);
  }

  private static String tableComment(Target target, TableKey key) {
    if (key.stream().equals(Schema.REJECTED_TABLE)) {
      return "Values Observes could not store exactly: the table and row (row_id = its _observes_id) and the source "
          + "path they belong to, why, and the value as JSON text split into raw_parts parts.";
    }
    String source = "Source: " + target.etl() + ", stream " + key.stream();
    return key.isRoot() ? source : source + ", elements of the list " + key.path();
  }
}
