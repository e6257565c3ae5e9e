package io.observes.bench;

import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Object storage that keeps nothing, counting the bytes put: staging measured without its upload. */
class DiscardingStore implements ObjectStore {
  long bytes;

  @Override
  public void put(S3Uri uri, Path file) {
    try {
      bytes += Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void put(S3Uri uri, byte[] content) {
    bytes += content.length;
  }

  @Override
  public Optional<byte[]> read(S3Uri uri) {
    return Optional.empty();
  }

  @Override
  public Optional<StoredObject> readVersioned(S3Uri uri) {
    return Optional.empty();
  }

  /** Nothing is kept, so no object ever exists: every create succeeds. */
  @Override
  public boolean putIfAbsent(S3Uri uri, byte[] content) {
    bytes += content.length;
    return true;
  }

  /** Nothing is kept, so no version ever matches, as S3 answers for a key that does not exist. */
  @Override
  public boolean putIfMatch(S3Uri uri, byte[] content, String etag) {
    return false;
  }

  @Override
  public InputStream open(S3Uri uri) {
    throw new UnsupportedOperationException("nothing is kept");
  }

  @Override
  public void delete(S3Uri uri) {}

  @Override
  public List<S3Uri> list(S3Uri prefix) {
    return List.of();
  }
}
