package io.observes.testing;

import io.observes.demo.DemoStack;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** s3proxy in this JVM, in memory, with an SDK client pointed at it (path-style). */
public final class S3StandIn implements AutoCloseable {
  public static final String ACCESS_KEY = "observestest";
  public static final String SECRET_KEY = "observestestsecret";

  private final S3Proxy proxy;
  private final S3Client client;

  public S3StandIn() throws Exception {
    this(DemoStack.startS3(ACCESS_KEY, SECRET_KEY), false);
  }

  /**
   * A stand-in for tests of conditional writes. Its If-Match is atomic like S3's (see {@link
   * AtomicConditionsBlobStore}), so writers racing for one key can be tested. And its client opens
   * a connection per request: when s3proxy refuses a conditional PUT before reading its body it
   * drops the connection without saying so, and a pooled client then sends its next request into
   * the dead socket ("Broken pipe" on every retry once several such connections are pooled; seen
   * here in 5 to 14 of 40 rounds of 8 racing writers, none with connections not reused).
   */
  public static S3StandIn withAtomicConditions() throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new AtomicConditionsBlobStore(new TransientNio2BlobStore()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!"STARTED".equals(proxy.getState())) {
      if (Instant.now().isAfter(deadline)) {
        proxy.stop();
        throw new IllegalStateException("s3proxy did not start within 30 s (state " + proxy.getState() + ")");
      }
      Thread.onSpinWait();
    }
    return new S3StandIn(proxy, true);
  }

  private S3StandIn(S3Proxy proxy, boolean connectionPerRequest) {
    this.proxy = proxy;
    ApacheHttpClient.Builder http = ApacheHttpClient.builder();
    if (connectionPerRequest) {
      http.connectionMaxIdleTime(Duration.ofMillis(1));
    }
    client = S3Client.builder()
        .httpClientBuilder(http)
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
