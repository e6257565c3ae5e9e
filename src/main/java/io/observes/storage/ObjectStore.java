package io.observes.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The object storage Observes stages data, manifests, schemas and state in (S3). */
public interface ObjectStore {
  void put(S3Uri uri, Path file);

  void put(S3Uri uri, byte[] bytes);

  /** The object's bytes, or empty when it does not exist. */
  Optional<byte[]> read(S3Uri uri);

  /** A stream of the object; fails with a clear error when it does not exist. */
  InputStream open(S3Uri uri);

  void delete(S3Uri uri);

  /** Every object whose key starts with {@code prefix}'s key. */
  List<S3Uri> list(S3Uri prefix);
}
