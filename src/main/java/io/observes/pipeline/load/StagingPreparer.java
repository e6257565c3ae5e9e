package io.observes.pipeline.load;

import io.observes.pipeline.RunId;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.ColumnType;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SchemaDocument;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.warehouse.TableDefinition;
import io.observes.warehouse.WarehouseClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The preparation phase: widens the base schema with every segment's statistics, pins the result
 * for the run, writes it back to the cache, and creates a pristine staging schema with one table per
 * schema table, every table and column commented with where its data comes from.
 */
public final class StagingPreparer {
  static final TableKey REJECTED = TableKey.root(Schema.REJECTED_TABLE);
  static final String REJECTED_TABLE_NAME = "table_name";

  private final ObjectStore store;
  private final StageLayout layout;
  private final ManifestReader manifests;
  private final SchemaCache cache;
  private final WarehouseClient warehouse;

  public StagingPreparer(ObjectStore store, StageLayout layout, SchemaCache cache, WarehouseClient warehouse) {
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.manifests = new ManifestReader(store, layout);
    this.cache = Objects.requireNonNull(cache, "cache");
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
  }

  public Schema prepare(Target target, RunId run, int totalSegments, Schema base) {
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    for (ManifestReader.Staged staged : manifests.readAll(run, totalSegments, "Re-run phase1 for them first.").values()) {
      merge(observed, staged.manifest());
    }
    Schema schema = base.widen(observed);
    store.put(layout.runSchema(run), SchemaDocument.write(schema));
    cache.write(target, schema);
    warehouse.recreateSchema(target.staging());
    for (TableSchema table : schema.tables()) {
      warehouse.createTable(target.staging(), definition(target, table));
    }
    return schema;
  }

  static void merge(Map<TableKey, Map<SourcePath, ColumnStats>> observed, Manifest manifest) {
    for (Manifest.TableManifest table : manifest.tables()) {
      Map<SourcePath, ColumnStats> columns = observed.computeIfAbsent(table.key(), k -> new LinkedHashMap<>());
      table.stats().forEach((path, stats) ->
          columns.merge(SourcePath.parse(path), stats.copy(), ColumnStats::merge));
    }
  }

  static TableDefinition definition(Target target, TableSchema table) {
    List<TableDefinition.ColumnDefinition> columns = new ArrayList<>();
    for (Bookkeeping b : table.bookkeeping()) {
      columns.add(new TableDefinition.ColumnDefinition(b.column(), b.type(), b.comment()));
    }
    for (Column c : table.columns()) {
      columns.add(new TableDefinition.ColumnDefinition(c.name(), c.type(), c.path().toString()));
    }
    if (table.key().equals(REJECTED)) {
      columns.add(new TableDefinition.ColumnDefinition(REJECTED_TABLE_NAME, ColumnType.varcharExactly(127),
          "The warehouse table of the row the value belongs to (filled when the run is published)."));
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
