package io.observes.aws;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the AWS clients from {@link AwsSettings}. Retries use the SDK's standard strategy with more
 * attempts than its default, so S3 {@code SlowDown}, 5xx and throttling back off and retry instead
 * of failing a nightly run.
 */
public final class AwsClients {
  static final int ATTEMPTS = 8;

  private AwsClients() {}

  static ClientOverrideConfiguration retrying() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .retryStrategy(b -> b.maxAttempts(ATTEMPTS))
        .apiCallAttemptTimeout(Duration.ofMinutes(5))
        .build();
  }

  public static S3Client s3(AwsSettings settings) {
    var builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
        .overrideConfiguration(retrying());
    settings.s3().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
    return builder.build();
  }
}
