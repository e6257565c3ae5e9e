package io.observes.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

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

  static AwsCredentialsProvider credentials(AwsSettings settings) {
    AwsSettings.StaticKeys keys = settings.keys();
    if (keys == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(keys.sessionToken() == null
        ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
        : AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()));
  }

  public static S3Client s3(AwsSettings settings) {
    var builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
        .overrideConfiguration(retrying());
    settings.s3().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
    return builder.build();
  }

  public static BatchClient batch(AwsSettings settings) {
    var builder = BatchClient.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(retrying());
    settings.batch().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * KMS in {@code region} (a key's own region), as {@code role} when given (assumed with STS, as
   * sops does for a key entry with a role).
   */
  public static KmsClient kms(AwsSettings settings, String region, java.util.Optional<String> role) {
    AwsCredentialsProvider credentials = credentials(settings);
    if (role.isPresent()) {
      var sts = StsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
          .httpClientBuilder(ApacheHttpClient.builder()).build();
      credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
          .refreshRequest(r -> r.roleArn(role.get()).roleSessionName("observes-sops")).build();
    }
    var builder = KmsClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(retrying());
    settings.kms().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** Throttling (ProvisionedThroughputExceeded, ThrottlingException) is retried by the strategy. */
  public static DynamoDbClient dynamo(AwsSettings settings) {
    var builder = DynamoDbClient.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
        .overrideConfiguration(retrying());
    settings.dynamo().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
