package io.observes.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The object storage Observes stages data, manifests, schemas and state in (S3). */
public interface ObjectStore {
  void put(S3Uri uri, Path file);

  void put(S3Uri uri, byte[] bytes);

  /** The object's bytes, or empty when it does not exist. */
  Optional<byte[]> read(S3Uri uri);

  /** The object's bytes and the ETag of that version, or empty when it does not exist. */
  Optional<StoredObject> readVersioned(S3Uri uri);

  /**
   * Creates the object only if no object has that key ({@code If-None-Match: *}). False when one
   * exists, or when S3 reports a concurrent write or delete of the key as a conflict: either way
   * another writer got there, so read the object again to see what is there now.
   */
  boolean putIfAbsent(S3Uri uri, byte[] bytes);

  /**
   * Replaces the object only if its current version has {@code etag} ({@code If-Match}). False when
   * it has another version, no longer exists, or a concurrent write conflicted; read it again.
   */
  boolean putIfMatch(S3Uri uri, byte[] bytes, String etag);

  /** A stream of the object; fails with a clear error when it does not exist. */
  InputStream open(S3Uri uri);

  void delete(S3Uri uri);

  /** Every object whose key starts with {@code prefix}'s key. */
  List<S3Uri> list(S3Uri prefix);

  /** Every object whose key starts with {@code prefix}'s key, one at a time, as the listing pages arrive. */
  default void forEachKey(S3Uri prefix, Consumer<S3Uri> each) {
    list(prefix).forEach(each);
  }
}
