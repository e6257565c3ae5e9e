package io.observes.storage;

import java.util.Objects;

/** An object location: bucket and key, written {@code s3://bucket/key}. */
public record S3Uri(String bucket, String key) {
  public S3Uri {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("an S3 location needs a bucket");
    }
  }

  public static S3Uri parse(String uri) {
    if (!uri.startsWith("s3://")) {
      throw new IllegalArgumentException("not an s3:// location: " + uri);
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? new S3Uri(rest, "") : new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** A location under this one, joined with {@code /}. */
  public S3Uri resolve(String relative) {
    return new S3Uri(bucket, key.isEmpty() || key.endsWith("/") ? key + relative : key + "/" + relative);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
