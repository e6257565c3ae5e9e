package io.observes.testing;

import io.observes.demo.DemoStack;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3ObjectStore;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** s3proxy in this JVM, in memory, with an SDK client pointed at it (path-style). */
public final class S3StandIn implements AutoCloseable {
  public static final String ACCESS_KEY = "observestest";
  public static final String SECRET_KEY = "observestestsecret";

  private final S3Proxy proxy;
  private final S3Client client;

  public S3StandIn() throws Exception {
    proxy = DemoStack.startS3(ACCESS_KEY, SECRET_KEY);
    client = S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public S3Client client() {
    return client;
  }

  public ObjectStore store() {
    return new S3ObjectStore(client);
  }

  public void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
  }
}
