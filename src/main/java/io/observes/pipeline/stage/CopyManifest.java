package io.observes.pipeline.stage;

import java.util.List;

/** Redshift's COPY manifest: the exact files of one table and segment, each mandatory. */
record CopyManifest(List<Entry> entries) {
  record Entry(String url, boolean mandatory) {}

  static CopyManifest of(List<Manifest.PartManifest> parts) {
    return new CopyManifest(parts.stream().map(p -> new Entry(p.uri(), true)).toList());
  }
}
