package io.observes.etl.dynamo;


import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The export a run reads, pinned once for all its segments: {@code <run>/export.json} beside its
 * staged data, created only if absent. Every segment of one refresh must read one snapshot; without
 * the pin, an export made while the run's nodes start would give half of them another table.
 */
public final class RunExportPin {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final S3Uri uri;

  /** {@code run} is the run's folder (the stage layout's). */
  public RunExportPin(ObjectStore store, S3Uri run) {
    this.store = Objects.requireNonNull(store, "store");
    this.uri = run.resolve("export.json");
  }

  public S3Uri uri() {
    return uri;
  }

  public Optional<TableExport> read() {
    return store.read(uri).map(bytes -> {
      try {
        return TableExport.fromJson(JSON.readTree(bytes), uri.toString());
      } catch (IOException e) {
        throw new IllegalStateException(uri + " is not valid JSON (" + e.getMessage() + "); delete it and run phase1 "
            + "of the run again with --source export", e);
      }
    });
  }

  /**
   * Pins {@code export} to the run, or returns the export already pinned (which the caller must
   * read instead, or refuse to read another).
   */
  public TableExport pin(TableExport export) {
    byte[] bytes = export.toJson().toString().getBytes(StandardCharsets.UTF_8);
    if (store.putIfAbsent(uri, bytes)) {
      return export;
    }
    return read().orElseThrow(() -> new IllegalStateException("could not pin export " + export.arn() + " at " + uri
        + ": another writer holds the key but it reads as absent; run phase1 again"));
  }

}
