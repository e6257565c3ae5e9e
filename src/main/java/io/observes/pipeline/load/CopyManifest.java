package io.observes.pipeline.load;

import io.observes.warehouse.TableLoad;
import java.util.List;

/** Redshift's COPY manifest: the exact files of one COPY, each mandatory (a missing one fails the COPY). */
record CopyManifest(List<Entry> entries) {
  record Entry(String url, boolean mandatory) {}

  static CopyManifest of(List<TableLoad.StagedFile> files) {
    return new CopyManifest(files.stream().map(f -> new Entry(f.uri(), true)).toList());
  }
}
