package io.observes.pipeline.load;

import io.observes.pipeline.RunId;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SchemaDocument;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.util.HashMap;
import java.util.Map;

/** The schema the preparation phase fixed for a run; every later phase of the run loads with it. */
final class PinnedSchema {
  private PinnedSchema() {}

  static Schema read(ObjectStore store, StageLayout layout, RunId run) {
    S3Uri uri = layout.runSchema(run);
    byte[] bytes = store.read(uri).orElseThrow(() -> new IllegalStateException(
        "run " + run + " has no pinned schema at " + uri + ": run the preparation phase (phase2) first"));
    return SchemaDocument.read(bytes, uri.toString());
  }

  static Map<TableKey, TableSchema> byKey(Schema schema) {
    Map<TableKey, TableSchema> tables = new HashMap<>();
    schema.tables().forEach(t -> tables.put(t.key(), t));
    return tables;
  }
}
