package io.observes.pipeline.load;

import io.observes.pipeline.Json;
import io.observes.pipeline.PhaseResult;
import io.observes.pipeline.Publication;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Compression;
import io.observes.warehouse.SegmentInputs;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.TableLoad;
import io.observes.warehouse.WarehouseClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The load phase: each table of the run loaded once, from its files of every segment, in its own
 * idempotent transaction, with the column names of the run's pinned schema: one COPY per table (per
 * column list, if segments staged different ones), which Redshift splits across all its slices. A
 * segment whose values the staging tables cannot hold is refused, not loaded partly.
 */
public final class TableLoader {
  private final ObjectStore store;
  private final StageLayout layout;
  private final ManifestReader manifests;
  private final WarehouseClient warehouse;

  public TableLoader(ObjectStore store, StageLayout layout, WarehouseClient warehouse) {
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.manifests = new ManifestReader(store, layout);
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
  }

  /** Per table: rows staged, rows now loaded, COPYs, and whether this call found it loaded already. */
  public record TableResult(String key, String table, long rowsWritten, long rowsLoaded, long rowsRejected, boolean skipped,
      long bytes, int copies) {
    public TableCounts counts() {
      return TableCounts.named(key, table, rowsWritten, rowsLoaded, rowsRejected, bytes);
    }
  }

  /** One table's part of every segment that staged it, and how that segment compressed its files. */
  private record Staged(int segment, String manifestId, Manifest.TableManifest table, Compression compression) {}

  /**
   * Loads every table of the run not loaded yet; with {@code onlySegment}, only the tables that
   * segment staged (each still whole, from all segments).
   */
  public PhaseResult<List<TableResult>> load(Target target, RunId run, int totalSegments, Optional<Integer> onlySegment) {
    Optional<String> published = Publication.of(warehouse, target).publishedNote(run);
    if (published.isPresent()) {
      return PhaseResult.alreadyDone(List.of(), published.get());
    }
    SortedMap<Integer, ManifestReader.Staged> staged =
        manifests.readAll(run, totalSegments, "Stage them (phase1), then run phase2 again.");
    Map<TableKey, TableSchema> schema = PinnedSchema.byKey(PinnedSchema.read(store, layout, run));
    Map<TableKey, List<Staged>> byTable = new TreeMap<>();
    for (ManifestReader.Staged segment : staged.values()) {
      ManifestReader.requireStagedFor(segment, target, warehouse.dialect().name());
      for (Manifest.TableManifest table : segment.manifest().tables()) {
        byTable.computeIfAbsent(table.key(), k -> new ArrayList<>())
            .add(new Staged(segment.manifest().segment(), segment.id(), table, segment.manifest().compressionOrGzip()));
      }
    }
    List<TableResult> results = new ArrayList<>();
    for (Map.Entry<TableKey, List<Staged>> entry : byTable.entrySet()) {
      List<Staged> parts = entry.getValue();
      if (onlySegment.isPresent() && parts.stream().noneMatch(p -> p.segment() == onlySegment.get())) {
        continue;
      }
      TableLoad load = tableLoad(run, entry.getKey(), schema.get(entry.getKey()), parts);
      WarehouseClient.LoadOutcome outcome = warehouse.load(target.staging(), load);
      results.add(new TableResult(entry.getKey().toString(), load.table(), load.expectedRows(), outcome.rows(),
          parts.stream().mapToLong(p -> p.table().rejected()).sum(), outcome.skipped(),
          parts.stream().mapToLong(p -> p.table().bytes()).sum(), load.groups().size()));
    }
    boolean all = results.stream().allMatch(TableResult::skipped);
    return all ? PhaseResult.alreadyDone(results, "every table of run " + run + " is already loaded")
        : PhaseResult.done(results);
  }

  /** What one COPY shares: a column list and how its files are compressed (COPY takes one of each). */
  private record GroupKey(List<String> columns, Compression compression) {}

  private TableLoad tableLoad(RunId run, TableKey key, TableSchema table, List<Staged> parts) {
    Map<GroupKey, List<TableLoad.StagedFile>> groups = new LinkedHashMap<>();
    SortedMap<Integer, String> inputs = new TreeMap<>();
    long rows = 0;
    for (Staged part : parts) {
      GroupKey group = new GroupKey(columnNames(run, part, table), part.compression());
      List<TableLoad.StagedFile> files = groups.computeIfAbsent(group, c -> new ArrayList<>());
      part.table().parts().forEach(p -> files.add(new TableLoad.StagedFile(p.uri(), p.rows())));
      inputs.put(part.segment(), part.manifestId());
      rows += part.table().rows();
    }
    List<TableLoad.CopyGroup> copies = new ArrayList<>();
    for (Map.Entry<GroupKey, List<TableLoad.StagedFile>> group : groups.entrySet()) {
      S3Uri manifest = layout.copyManifest(run, key, copies.size());
      store.put(manifest, Json.write(CopyManifest.of(group.getValue())));
      copies.add(new TableLoad.CopyGroup(group.getKey().columns(), group.getKey().compression(), group.getValue(),
          manifest.toString()));
    }
    return new TableLoad(table.name(), run.value(), new SegmentInputs(inputs), rows, copies,
        uri -> store.open(S3Uri.parse(uri)));
  }

  /** The warehouse column names of a segment's files, after checking its values fit them. */
  private static List<String> columnNames(RunId run, Staged part, TableSchema table) {
    int segment = part.segment();
    String retry = " The run's pinned schema (phase2) does not cover segment " + segment + " as it is staged now: run phase2"
        + " again for run " + run + ", then phase3.";
    if (table == null) {
      throw new SegmentsIncompleteException("the run's schema has no table for " + part.table().key() + "." + retry,
          List.of(segment));
    }
    List<String> columns = new ArrayList<>();
    table.bookkeeping().forEach(b -> columns.add(b.column()));
    for (SourcePath path : part.table().columnPaths()) {
      Column column = table.column(path).orElseThrow(() -> new SegmentsIncompleteException(
          "table " + table.name() + " has no column for " + path + "." + retry, List.of(segment)));
      String misfit = part.table().stats().get(path.toString()).misfit(column.type());
      if (misfit != null) {
        throw new SegmentsIncompleteException("column " + table.name() + "." + column.name() + " is " + column.type()
            + ", but segment " + segment + " holds values it cannot store exactly: " + misfit + "." + retry, List.of(segment));
      }
      columns.add(column.name());
    }
    return columns;
  }
}
