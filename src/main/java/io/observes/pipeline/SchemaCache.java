package io.observes.pipeline;

import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SchemaDocument;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.util.Objects;
import java.util.Optional;

/**
 * The data-schemas of a target kept between runs ({@code s3://<cache-bucket>/<etl>/schemas/<schema>.json}):
 * names and types together, so every run maps source paths to the same columns.
 */
public final class SchemaCache {
  private final ObjectStore store;
  private final String bucket;
  private final String prefix;

  /** The cache under {@code <etl>/} of {@code bucket}. */
  public SchemaCache(ObjectStore store, String bucket) {
    this(store, bucket, null);
  }

  /** The cache under {@code <prefix>/} of {@code bucket} (the dynamo ETL keeps its legacy {@code dynamoEtl}). */
  public SchemaCache(ObjectStore store, String bucket, String prefix) {
    this.store = Objects.requireNonNull(store, "store");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = prefix;
  }

  public S3Uri location(Target target) {
    return new S3Uri(bucket, (prefix == null ? target.etl() : prefix) + "/schemas/" + target.schema() + ".json");
  }

  public Optional<Schema> read(Target target) {
    S3Uri uri = location(target);
    return store.read(uri).map(bytes -> SchemaDocument.read(bytes, uri.toString()));
  }

  public void write(Target target, Schema schema) {
    store.put(location(target), SchemaDocument.write(schema));
  }
}
