package io.observes.pipeline.stage;

import io.observes.pipeline.RunId;
import io.observes.pipeline.schema.Identifiers;
import io.observes.pipeline.schema.TableKey;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Compression;
import java.util.Objects;

/**
 * Where a run's staged data lives: {@code s3://<data-bucket>/<etl>/<run>/segment=<i>/<table>/part-<k>.csv.zst}
 * ({@code .csv.gz} for runs staged before zstd),
 * one manifest per segment (written last: the commit marker), the schema pinned for the run, and the
 * COPY manifests of the load under {@code load/}.
 */
public record StageLayout(String bucket, String etl) {
  public StageLayout {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(etl, "etl");
  }

  public S3Uri run(RunId run) {
    return new S3Uri(bucket, etl + "/" + run + "/");
  }

  public S3Uri segment(RunId run, int segment) {
    return run(run).resolve("segment=" + segment + "/");
  }

  public S3Uri manifest(RunId run, int segment) {
    return segment(run, segment).resolve("manifest.json");
  }

  public S3Uri part(RunId run, int segment, TableKey table, int part, Compression compression) {
    return segment(run, segment).resolve(directory(table) + "/part-" + part + compression.suffix());
  }

  /** The Redshift COPY manifest of one COPY of a table: its parts of every segment with one column list. */
  public S3Uri copyManifest(RunId run, TableKey table, int group) {
    return run(run).resolve("load/" + directory(table) + "/copy-" + group + ".manifest");
  }

  /** The schema every phase of the run loads with, fixed by the preparation phase. */
  public S3Uri runSchema(RunId run) {
    return run(run).resolve("schema.json");
  }

  /**
   * Warehouse names are given after all segments are staged, so directories are named from the
   * table key: cleaned, with a hash that keeps distinct keys apart.
   */
  static String directory(TableKey table) {
    String readable = Identifiers.clean(table.stream() + (table.isRoot() ? "" : "__" + table.path()));
    return Identifiers.withSuffix(readable.length() > 60 ? readable.substring(0, 60) : readable, table.toString());
  }
}
