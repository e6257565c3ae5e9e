package io.observes.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on an S3 client. Throttling ({@code SlowDown}) and 5xx are retried by the
 * client's retry strategy (see {@code AwsClients}); errors here name the object and what to check.
 */
public final class S3ObjectStore implements ObjectStore {
  private final S3Client s3;

  public S3ObjectStore(S3Client s3) {
    this.s3 = Objects.requireNonNull(s3, "s3");
  }

  @Override
  public void put(S3Uri uri, Path file) {
    call(uri, "write", () -> s3.putObject(b -> b.bucket(uri.bucket()).key(uri.key()), RequestBody.fromFile(file)));
  }

  @Override
  public void put(S3Uri uri, byte[] bytes) {
    call(uri, "write", () -> s3.putObject(b -> b.bucket(uri.bucket()).key(uri.key()), RequestBody.fromBytes(bytes)));
  }

  @Override
  public Optional<byte[]> read(S3Uri uri) {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key())).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure(uri, "read", e);
    }
  }

  @Override
  public Optional<StoredObject> readVersioned(S3Uri uri) {
    try {
      var object = s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key()));
      return Optional.of(new StoredObject(object.asByteArray(), object.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failure(uri, "read", e);
    }
  }

  @Override
  public boolean putIfAbsent(S3Uri uri, byte[] bytes) {
    return putConditionally(uri, bytes, b -> b.ifNoneMatch("*"), "create");
  }

  @Override
  public boolean putIfMatch(S3Uri uri, byte[] bytes, String etag) {
    Objects.requireNonNull(etag, "etag");
    return putConditionally(uri, bytes, b -> b.ifMatch(etag), "replace");
  }

  private boolean putConditionally(S3Uri uri, byte[] bytes, Consumer<PutObjectRequest.Builder> condition,
      String action) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      s3.putObject(b -> condition.accept(b.bucket(uri.bucket()).key(uri.key())), RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      if (conditionNotMet(e)) {
        return false;
      }
      throw failure(uri, action, e);
    } catch (SdkException e) {
      throw failure(uri, action, e);
    }
  }

  /**
   * The answers S3 documents for a conditional write that did not happen (user guide, "conditional
   * writes"): 412 PreconditionFailed when the condition is false; 404 NoSuchKey when If-Match names
   * a key that no longer exists; 409 ConditionalRequestConflict when a concurrent write or delete of
   * the key won. S3 says to retry after a 409; for a caller that means reading the object again,
   * which is what a false answer asks of it, so all three are the same answer. NoSuchBucket is also
   * a 404 and stays an error: the code, not the status, tells them apart.
   */
  private static boolean conditionNotMet(S3Exception e) {
    String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    return e.statusCode() == 412
        || (e.statusCode() == 409 && "ConditionalRequestConflict".equals(code))
        || (e.statusCode() == 404 && "NoSuchKey".equals(code));
  }

  @Override
  public InputStream open(S3Uri uri) {
    return call(uri, "read", () -> s3.getObject(b -> b.bucket(uri.bucket()).key(uri.key())));
  }

  @Override
  public void delete(S3Uri uri) {
    call(uri, "delete", () -> s3.deleteObject(b -> b.bucket(uri.bucket()).key(uri.key())));
  }

  @Override
  public List<S3Uri> list(S3Uri prefix) {
    return call(prefix, "list", () -> {
      List<S3Uri> found = new ArrayList<>();
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key())).contents()) {
        found.add(new S3Uri(prefix.bucket(), object.key()));
      }
      return found;
    });
  }

  @Override
  public void forEachKey(S3Uri prefix, java.util.function.Consumer<S3Uri> each) {
    call(prefix, "list", () -> {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key())).contents()) {
        each.accept(new S3Uri(prefix.bucket(), object.key()));
      }
      return null;
    });
  }

  private interface Call<T> {
    T run();
  }

  private static <T> T call(S3Uri uri, String action, Call<T> call) {
    try {
      return call.run();
    } catch (SdkException e) {
      throw failure(uri, action, e);
    }
  }

  private static StorageException failure(S3Uri uri, String action, SdkException e) {
    String hint;
    if (e instanceof NoSuchBucketException) {
      hint = "the bucket does not exist: check the bucket settings (OBSERVES_*_BUCKET) and the region";
    } else if (e instanceof NoSuchKeyException) {
      hint = "the object does not exist: re-run the step that writes it";
    } else {
      hint = "check the AWS credentials, region and endpoint (AWS_ENDPOINT_URL_S3)";
    }
    return new StorageException("could not " + action + " " + uri + ": " + e.getMessage() + "; " + hint, e);
  }
}
