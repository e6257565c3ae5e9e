package io.observes.pipeline.load;

import io.observes.pipeline.Json;
import io.observes.pipeline.RunId;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.SortedMap;

/** Reads the segment manifests of a run, and names the segments that have none. */
public final class ManifestReader {
  private final ObjectStore store;
  private final StageLayout layout;

  public ManifestReader(ObjectStore store, StageLayout layout) {
    this.store = Objects.requireNonNull(store, "store");
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /** A manifest and the id of this staging of its segment (a hash of the manifest's bytes). */
  public record Staged(Manifest manifest, String id) {}

  public Optional<Staged> read(RunId run, int segment) {
    S3Uri uri = layout.manifest(run, segment);
    return store.read(uri).map(bytes -> {
      Manifest manifest = Json.read(bytes, Manifest.class, uri.toString());
      if (manifest.format() != Manifest.FORMAT) {
        throw new IllegalStateException(uri + " has manifest format " + manifest.format() + "; this version reads "
            + Manifest.FORMAT + ". Re-stage the segment (phase1) with this version.");
      }
      String id = io.observes.pipeline.schema.Identifiers.sha256Hex(new String(bytes, StandardCharsets.UTF_8)).substring(0, 32);
      return new Staged(manifest, id);
    });
  }

  /** Every segment's manifest, or an error naming each segment that was not staged. */
  public SortedMap<Integer, Staged> readAll(RunId run, int totalSegments, String retryHint) {
    SortedMap<Integer, Staged> found = new TreeMap<>();
    List<Integer> missing = new ArrayList<>();
    for (int segment = 0; segment < totalSegments; segment++) {
      Optional<Staged> staged = read(run, segment);
      if (staged.isPresent()) {
        Manifest m = staged.get().manifest();
        if (m.totalSegments() != totalSegments) {
          throw new IllegalStateException("segment " + segment + " of run " + run + " was staged as one of "
              + m.totalSegments() + " segments, not " + totalSegments + "; use the same --total-segments for every phase of a run");
        }
        found.put(segment, staged.get());
      } else {
        missing.add(segment);
      }
    }
    if (!missing.isEmpty()) {
      throw new SegmentsIncompleteException("run " + run + " has no staged data for segment(s) " + missing + " of "
          + totalSegments + " (no manifest under " + layout.run(run) + "). " + retryHint, missing);
    }
    return found;
  }
}
