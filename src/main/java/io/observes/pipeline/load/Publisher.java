package io.observes.pipeline.load;

import io.observes.pipeline.LeaseGuard;
import io.observes.pipeline.PhaseResult;
import io.observes.pipeline.Publication;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Streams;
import io.observes.pipeline.Target;
import io.observes.pipeline.WriteMode;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.warehouse.LoadedTable;
import io.observes.warehouse.RowChanges;
import io.observes.warehouse.SegmentInputs;
import io.observes.warehouse.TableDefinition;
import io.observes.warehouse.TableUpdate;
import io.observes.warehouse.WarehouseClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The publish phase: proves that every segment's rows arrived (rows written by the manifests equal
 * rows loaded, per segment and table, and each table holds exactly their sum), then swaps the staging
 * schema in — or, when the source merges some stream, updates the target in place in one
 * transaction (replaced tables rebuilt, merged ones by key). Otherwise it refuses, naming the
 * segments to retry; the published data stays as it was.
 */
public final class Publisher {
  private final ObjectStore store;
  private final StageLayout layout;
  private final ManifestReader manifests;
  private final WarehouseClient warehouse;
  private final Streams streams;

  public Publisher(ObjectStore store, StageLayout layout, WarehouseClient warehouse, Streams streams) {
    this.streams = Objects.requireNonNull(streams, "streams");
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.manifests = new ManifestReader(store, layout);
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
  }

  /** A published table: its key, warehouse name, rows, and what the publish did to the target's table. */
  public record PublishedTable(String key, String name, long rows, RowChanges changes) {}

  /** Rows per warehouse table, the tables with their keys, and their profiles once published. */
  public record Published(Map<String, Long> rows, List<PublishedTable> tables, PublishedProfiles.Taken profiles) {
    public Published(Map<String, Long> rows, List<PublishedTable> tables) {
      this(rows, tables, PublishedProfiles.Taken.none());
    }
  }

  /**
   * Verifies and swaps; a run whose staging schema is gone because it was published (or published
   * and since replaced) has nothing to do and says so.
   */
  public PhaseResult<Published> publish(Target target, RunId run, int totalSegments, LeaseGuard lease) {
    Publication publication = Publication.of(warehouse, target);
    Schema schema = PinnedSchema.read(store, layout, run);
    if (!publication.stagingOwnedBy(run)) {
      Optional<String> note = publication.publishedNote(run);
      if (note.isPresent()) {
        return PhaseResult.alreadyDone(new Published(Map.of(), List.of()), note.get());
      }
      throw new IllegalStateException(publication.staging()
          .map(o -> "cannot publish run " + run + ": " + target.staging() + " belongs to run " + o.run() + " (prepared at "
              + o.prepared() + "), whose phase2 replaced run " + run + "'s staging. Let run " + o.run()
              + " finish, or start run " + run + " again from phase2.")
          .orElse("cannot publish run " + run + ": the staging schema " + target.staging() + " does not exist: run phase2 "
              + "and phase3 first"));
    }
    SortedMap<Integer, ManifestReader.Staged> staged =
        manifests.readAll(run, totalSegments, "Re-run phase1 for them, then phase2 and phase3.");
    Map<String, Long> expected = verify(target, run, staged, schema);
    labelRejected(target, PinnedSchema.byKey(schema));
    Map<String, RowChanges> changes = new LinkedHashMap<>();
    if (streams.inPlace()) {
      changes.putAll(warehouse.publishInPlace(target.staging(), target.schema(), updates(target, schema), run.value(),
          lease.check()));
      warehouse.analyze(target.schema(), new ArrayList<>(expected.keySet()));
    } else {
      // A swap replaces every table whole: what each held before is what it deletes.
      for (String table : expected.keySet()) {
        changes.put(table, new RowChanges(expected.get(table), 0,
            warehouse.countRowsIfExists(target.schema(), table).orElse(0)));
      }
      warehouse.analyze(target.staging(), new ArrayList<>(expected.keySet()));
      warehouse.swap(target.staging(), target.schema(), target.backup(), run.value(), lease.check());
    }
    List<PublishedTable> tables = new ArrayList<>();
    schema.tables().forEach(t -> tables.add(new PublishedTable(t.key().toString(), t.name(), expected.get(t.name()),
        changes.getOrDefault(t.name(), new RowChanges(expected.get(t.name()), 0, 0)))));
    // A merge also takes child rows of replaced or deleted roots from tables the run staged nothing for.
    changes.forEach((name, change) -> {
      if (!expected.containsKey(name) && !streams.retired().contains(name)) {
        tables.add(new PublishedTable(name, name, 0, change));
      }
    });
    // A swapped-in table holds exactly its staged files: their counts are its rows and NULLs. A merged one is scanned.
    Optional<List<Manifest>> swapped = streams.inPlace() ? Optional.empty()
        : Optional.of(staged.values().stream().map(ManifestReader.Staged::manifest).toList());
    return PhaseResult.done(new Published(expected, tables, PublishedProfiles.take(warehouse, target, schema, run, swapped)));
  }

  /** How each table of the run's schema reaches a target kept across runs. */
  private List<TableUpdate> updates(Target target, Schema schema) {
    List<TableUpdate> updates = new ArrayList<>();
    for (TableSchema table : schema.tables()) {
      TableUpdate.Mode mode;
      String root = null;
      String version = null;
      String deleted = null;
      if (table.key().equals(StagingPreparer.REJECTED)) {
        mode = TableUpdate.Mode.REJECTED_VALUES;
      } else if (streams.mode(table.key().stream()) == WriteMode.REPLACE) {
        mode = TableUpdate.Mode.REPLACE;
      } else if (table.key().isRoot()) {
        mode = TableUpdate.Mode.MERGE_BY_ID;
        if (streams.versioning().isPresent()) {
          Streams.Versioning v = streams.versioning().get();
          version = table.column(SourcePath.root().field(v.versionField())).map(c -> c.name()).orElse(null);
          deleted = version == null ? null : table.column(SourcePath.root().field(v.deletedField())).map(c -> c.name())
              .orElse(null);
        }
      } else {
        mode = TableUpdate.Mode.MERGE_BY_ROOT;
        root = schema.require(TableKey.root(table.key().stream())).name();
      }
      updates.add(new TableUpdate(StagingPreparer.definition(target, table, streams), mode, root, version, deleted));
    }
    for (String table : streams.retired()) {
      if (schema.tables().stream().noneMatch(t -> t.name().equals(table))) {
        updates.add(new TableUpdate(new TableDefinition(table, "retired", List.of()), TableUpdate.Mode.RETIRED, null));
      }
    }
    return updates;
  }

  /** Fills {@code _rejected.table_name} from the run's schema; rejected rows are few, so this is cheap. */
  private void labelRejected(Target target, Map<TableKey, TableSchema> tables) {
    TableSchema rejected = tables.get(StagingPreparer.REJECTED);
    if (rejected == null) {
      return;
    }
    Map<String, String> names = new LinkedHashMap<>();
    tables.values().forEach(t -> names.put(t.key().toString(), t.name()));
    String keyColumn = rejected.column(SourcePath.root().field("table_key")).orElseThrow().name();
    warehouse.fillColumn(target.staging(), rejected.name(), StagingPreparer.REJECTED_TABLE_NAME, keyColumn, names);
  }

  private Map<String, Long> verify(Target target, RunId run, SortedMap<Integer, ManifestReader.Staged> staged, Schema schema) {
    Map<TableKey, TableSchema> tables = PinnedSchema.byKey(schema);
    Map<String, LoadedTable> loaded = warehouse.loadedTables(target.staging(), run.value());
    Map<String, Long> expected = new LinkedHashMap<>();
    Map<String, SortedMap<Integer, String>> inputs = new LinkedHashMap<>();
    schema.tables().forEach(t -> expected.put(t.name(), 0L));
    List<String> problems = new ArrayList<>();
    TreeSet<Integer> restaged = new TreeSet<>();
    for (Map.Entry<Integer, ManifestReader.Staged> entry : staged.entrySet()) {
      int segment = entry.getKey();
      for (Manifest.TableManifest table : entry.getValue().manifest().tables()) {
        TableSchema schemaTable = tables.get(table.key());
        if (schemaTable == null) {
          restaged.add(segment);
          problems.add("segment " + segment + " staged " + table.key() + ", which the run's schema lacks (re-staged after phase2)");
          continue;
        }
        expected.merge(schemaTable.name(), table.rows(), Long::sum);
        inputs.computeIfAbsent(schemaTable.name(), k -> new TreeMap<>()).put(segment, entry.getValue().id());
      }
    }
    List<String> unloaded = new ArrayList<>();
    for (Map.Entry<String, SortedMap<Integer, String>> table : inputs.entrySet()) {
      LoadedTable load = loaded.get(table.getKey());
      SegmentInputs now = new SegmentInputs(table.getValue());
      if (load == null) {
        unloaded.add(table.getKey());
      } else if (!load.inputs().equals(now)) {
        problems.add("table " + table.getKey() + " was loaded from other stagings of segment(s) "
            + load.inputs().changedSegments(now) + " than they hold now");
      } else if (load.rows() != expected.get(table.getKey())) {
        problems.add("table " + table.getKey() + " loaded " + load.rows() + " rows of " + expected.get(table.getKey()));
      }
    }
    if (!unloaded.isEmpty()) {
      problems.add(0, "table(s) " + unloaded + " are not loaded");
    }
    if (!problems.isEmpty()) {
      throw new SegmentsIncompleteException("refusing to publish " + target.schema() + " for run " + run + ": "
          + String.join("; ", problems) + (restaged.isEmpty() && problems.size() == (unloaded.isEmpty() ? 0 : 1)
              ? ". Run phase3 again (it loads the tables not loaded yet), then publish again."
              : ". Segments were re-staged after phase2: run phase2 again for run " + run + ", then phase3."),
          new ArrayList<>(restaged));
    }
    for (String table : expected.keySet()) {
      long actual = warehouse.countRows(target.staging(), table);
      if (actual != expected.get(table)) {
        problems.add("table " + table + " holds " + actual + " rows but the segments staged " + expected.get(table));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("refusing to publish " + target.schema() + " for run " + run + ": "
          + String.join("; ", problems) + ". Something else wrote to " + target.staging()
          + "; start the load afresh with phase2 --force, then phase3.");
    }
    return expected;
  }
}
