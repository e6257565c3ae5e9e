package io.observes.pipeline.load;

import io.observes.pipeline.PhaseResult;
import io.observes.pipeline.Publication;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.ColumnStats;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.TableLoad;
import io.observes.warehouse.WarehouseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The load phase for one segment: every table of its manifest, each in its own idempotent
 * transaction, with the column names of the run's pinned schema. A segment re-staged after the
 * preparation with columns or values the staging tables cannot hold is refused, not loaded partly.
 */
public final class SegmentLoader {
  private final ObjectStore store;
  private final StageLayout layout;
  private final ManifestReader manifests;
  private final WarehouseClient warehouse;

  public SegmentLoader(ObjectStore store, StageLayout layout, WarehouseClient warehouse) {
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.manifests = new ManifestReader(store, layout);
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
  }

  /** Per table: rows staged, rows now loaded, and whether this call found it loaded already. */
  public record TableResult(
      String key, String table, long rowsWritten, long rowsLoaded, long rowsRejected, boolean skipped, long bytes) {
    public TableCounts counts() {
      return TableCounts.named(key, table, rowsWritten, rowsLoaded, rowsRejected, bytes);
    }
  }

  public PhaseResult<List<TableResult>> load(Target target, RunId run, int segment) {
    Optional<String> published = Publication.of(warehouse, target).publishedNote(run);
    if (published.isPresent()) {
      return PhaseResult.alreadyDone(List.of(), published.get());
    }
    ManifestReader.Staged staged = manifests.read(run, segment).orElseThrow(() -> new SegmentsIncompleteException(
        "segment " + segment + " of run " + run + " has no manifest under " + layout.run(run)
            + ": stage it first (phase1 --segment " + segment + ")", List.of(segment)));
    ManifestReader.requireStagedFor(staged, target, warehouse.dialect().name());
    Map<TableKey, TableSchema> tables = PinnedSchema.byKey(PinnedSchema.read(store, layout, run));
    List<TableLoad> loads = new ArrayList<>();
    for (Manifest.TableManifest table : staged.manifest().tables()) {
      loads.add(tableLoad(run, segment, staged.id(), table, tables.get(table.key())));
    }
    List<TableResult> results = new ArrayList<>();
    for (int i = 0; i < loads.size(); i++) {
      TableLoad load = loads.get(i);
      WarehouseClient.LoadOutcome outcome = warehouse.load(target.staging(), load);
      Manifest.TableManifest table = staged.manifest().tables().get(i);
      results.add(new TableResult(table.key().toString(),
          load.table(), table.rows(), outcome.rows(), table.rejected(), outcome.skipped(), table.bytes()));
    }
    boolean all = !results.isEmpty() && results.stream().allMatch(TableResult::skipped);
    return all ? PhaseResult.alreadyDone(results, "segment " + segment + " of run " + run + " is already loaded")
        : PhaseResult.done(results);
  }

  private TableLoad tableLoad(RunId run, int segment, String manifestId, Manifest.TableManifest staged, TableSchema table) {
    String retry = " The run's pinned schema (phase2) does not cover segment " + segment + " as it is staged now: run phase2"
        + " again for run " + run + ", then phase3.";
    if (table == null) {
      throw new SegmentsIncompleteException("the run's schema has no table for " + staged.key() + "." + retry, List.of(segment));
    }
    List<String> columns = new ArrayList<>();
    table.bookkeeping().forEach(b -> columns.add(b.column()));
    for (SourcePath path : staged.columnPaths()) {
      Column column = table.column(path).orElseThrow(() -> new SegmentsIncompleteException(
          "table " + table.name() + " has no column for " + path + "." + retry, List.of(segment)));
      String misfit = staged.stats().get(path.toString()).misfit(column.type());
      if (misfit != null) {
        throw new SegmentsIncompleteException("column " + table.name() + "." + column.name() + " is " + column.type()
            + ", but segment " + segment + " holds values it cannot store exactly: " + misfit + "." + retry, List.of(segment));
      }
      columns.add(column.name());
    }
    List<TableLoad.StagedFile> files =
        staged.parts().stream().map(p -> new TableLoad.StagedFile(p.uri(), p.rows())).toList();
    return new TableLoad(table.name(), columns, files, staged.copyManifest(), run.value(), segment, manifestId,
        staged.rows(), uri -> store.open(S3Uri.parse(uri)));
  }

}
