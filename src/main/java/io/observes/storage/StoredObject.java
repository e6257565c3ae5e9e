package io.observes.storage;

import java.util.Objects;

/**
 * An object's bytes with the ETag S3 gave that version: pass the ETag back to {@link
 * ObjectStore#putIfMatch} to replace exactly this version and no later one.
 */
public record StoredObject(byte[] bytes, String etag) {
  public StoredObject {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(etag, "etag");
    if (etag.isBlank()) {
      throw new IllegalArgumentException("a stored object needs the ETag of its version");
    }
  }
}
