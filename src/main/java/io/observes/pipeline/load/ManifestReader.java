package io.observes.pipeline.load;

import io.observes.pipeline.Json;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SegmentSet;
import io.observes.pipeline.Target;
import io.observes.pipeline.schema.Identifiers;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
      if (!Manifest.readable(manifest.format())) {
        throw new IllegalStateException(uri + " has manifest format " + manifest.format() + "; this version reads 3 and "
            + Manifest.FORMAT + ". Re-stage the segment (phase1) with this version.");
      }
      // A compression this version cannot read is refused here, before any table of the run loads.
      manifest.compressionOrGzip();
      requireOwnFiles(uri, manifest, run, segment);
      String id = Identifiers.sha256Hex(new String(bytes, StandardCharsets.UTF_8)).substring(0, 32);
      return new Staged(manifest, id);
    });
  }

  /**
   * Refuses a manifest that is not this segment's, or that names a file outside the segment's own
   * prefix {@code s3://<bucket>/<etl>/<run>/segment=<i>/}: the load reads (PostgreSQL) or has
   * Redshift COPY every file a manifest names, so a manifest edited or copied from elsewhere must
   * never make a run load another run's or another bucket's data.
   */
  private void requireOwnFiles(S3Uri uri, Manifest manifest, RunId run, int segment) {
    String retry = " Nothing was loaded from it; stage the segment again (phase1 --restage --segment " + segment + ").";
    if (!run.value().equals(manifest.run()) || manifest.segment() != segment) {
      throw new IllegalStateException(uri + " says it is run " + manifest.run() + " segment " + manifest.segment()
          + ", but lies where run " + run + " segment " + segment + " belongs." + retry);
    }
    S3Uri own = layout.segment(run, segment);
    for (Manifest.TableManifest table : manifest.tables()) {
      for (Manifest.PartManifest part : table.parts()) {
        String outside = outside(part.uri(), own);
        if (outside != null) {
          throw new IllegalStateException(uri + " (run " + run + " segment " + segment + ") names the file " + part.uri()
              + ", which is not one of the segment's own under " + own + ": " + outside + "." + retry);
        }
      }
    }
  }

  /** Why {@code file} does not lie under {@code prefix} as a plain path, or null if it does. */
  static String outside(String file, S3Uri prefix) {
    if (file == null || !file.startsWith("s3://")) {
      return "it is not an s3:// location";
    }
    S3Uri at = S3Uri.parse(file);
    if (!at.bucket().equals(prefix.bucket())) {
      return "it is in bucket " + at.bucket();
    }
    if (!at.key().startsWith(prefix.key())) {
      return "it is under another prefix";
    }
    for (String step : at.key().substring(prefix.key().length()).split("/", -1)) {
      if (step.isEmpty() || step.equals(".") || step.equals("..")) {
        return "its path has an empty, '.' or '..' step, which some readers resolve elsewhere";
      }
    }
    return null;
  }

  /**
   * Refuses a staging of another target or for another warehouse: a run id names one refresh of one
   * target, and files carry their warehouse's NULL marker.
   */
  public static void requireStagedFor(Staged staged, Target target, String dialect) {
    Manifest m = staged.manifest();
    if (!m.target().equals(target.schema())) {
      throw new IllegalStateException("run " + m.run() + " segment " + m.segment() + " is staged for target " + m.target()
          + ", not " + target.schema() + ": a run id names one refresh of one target; use a new --run-id");
    }
    if (!m.dialect().equals(dialect)) {
      throw new IllegalStateException("run " + m.run() + " segment " + m.segment() + " was staged for " + m.dialect()
          + ", but the warehouse configured is " + dialect + ": its files use another NULL marker. Stage it again "
          + "(phase1 --restage --segment " + m.segment() + ") with this warehouse configured.");
    }
  }

  /**
   * The segment's manifest if it is staged in a format this version loads (an older one is staged
   * again; gzip parts of format 3 are loaded as they are).
   */
  public Optional<Staged> readIfCurrent(RunId run, int segment) {
    S3Uri uri = layout.manifest(run, segment);
    Optional<byte[]> bytes = store.read(uri);
    if (bytes.isEmpty() || !Manifest.readable(Json.read(bytes.get(), Manifest.class, uri.toString()).format())) {
      return Optional.empty();
    }
    return read(run, segment);
  }

  /**
   * How many segments {@code run} was staged in, as its segment 0 says (every segment records it,
   * and {@link #readAll} checks they agree); {@code given} (a flag) must agree too.
   */
  public int totalSegments(RunId run, Optional<Integer> given) {
    Optional<Staged> first = read(run, 0);
    if (first.isEmpty()) {
      return given.orElseThrow(() -> new SegmentsIncompleteException("run " + run + " has no staged segment 0 (no manifest "
          + "at " + layout.manifest(run, 0) + "), so its number of segments is unknown: stage every segment (phase1) first",
          List.of(0)));
    }
    int staged = first.get().manifest().totalSegments();
    if (given.isPresent() && given.get() != staged) {
      throw new IllegalArgumentException("--total-segments " + given.get() + " does not match run " + run + ", which was staged in "
          + staged + " segments; leave the flag out (the manifests know it) or pass " + staged);
    }
    return staged;
  }

  /**
   * Every segment's manifest, or an error naming each segment that was not staged. The manifests are
   * read in order; at the first one missing, one listing of the run names all that are missing
   * (in ranges), instead of asking for each of up to a million segments in turn.
   */
  public SortedMap<Integer, Staged> readAll(RunId run, int totalSegments, String retryHint) {
    Segment.requireTotal(totalSegments);
    SortedMap<Integer, Staged> found = new TreeMap<>();
    for (int segment = 0; segment < totalSegments; segment++) {
      Optional<Staged> staged = read(run, segment);
      if (staged.isEmpty()) {
        SegmentSet missing = stagedSegments(run, totalSegments).complement(totalSegments);
        throw new SegmentsIncompleteException("run " + run + " has no staged data for segment(s) " + missing + " of "
            + totalSegments + " (no manifest under " + layout.run(run) + "). " + retryHint, missing.first(MISSING_LISTED));
      }
      Manifest m = staged.get().manifest();
      if (m.totalSegments() != totalSegments) {
        throw new IllegalStateException("segment " + segment + " of run " + run + " was staged as one of "
            + m.totalSegments() + " segments, not " + totalSegments + "; use the same --total-segments for every phase of a run");
      }
      found.put(segment, staged.get());
    }
    return found;
  }

  /** How many missing segments an exception carries by number (its message names them all, in ranges). */
  static final int MISSING_LISTED = 1000;

  /** The segments below {@code total} that have a manifest, from one listing of the run. */
  SegmentSet stagedSegments(RunId run, int total) {
    S3Uri root = layout.run(run);
    SegmentSet staged = new SegmentSet();
    store.forEachKey(root, key -> {
      Matcher m = MANIFEST_KEY.matcher(key.key().substring(root.key().length()));
      if (m.matches() && m.group(1).length() <= 7 && Integer.parseInt(m.group(1)) < total) {
        staged.add(Integer.parseInt(m.group(1)));
      }
    });
    return staged;
  }

  /** {@code segment=<i>/manifest.json} under the run, as {@link StageLayout#manifest} names it. */
  private static final Pattern MANIFEST_KEY = Pattern.compile("segment=(0|[1-9][0-9]*)/manifest\\.json");
}
