package io.observes.aws;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Region and endpoint overrides, by the AWS conventions: {@code AWS_REGION} (or
 * {@code AWS_DEFAULT_REGION}), {@code AWS_ENDPOINT_URL} for every service and
 * {@code AWS_ENDPOINT_URL_S3}, {@code _DYNAMODB}, {@code _BATCH}, {@code _KMS} per service. Credentials come from
 * the environment's {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} (/ {@code AWS_SESSION_TOKEN})
 * when set, else the SDK's default chain (profile, container or instance role).
 */
public record AwsSettings(
    String region, URI endpoint, URI s3Endpoint, URI dynamoEndpoint, URI batchEndpoint, URI kmsEndpoint, StaticKeys keys) {
  /** Keys given in the environment; null means the SDK's default credential chain. */
  public record StaticKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "StaticKeys[" + accessKeyId + ", ****]";
    }
  }

  public static AwsSettings from(Environment env) {
    String region = env.get("AWS_REGION").or(() -> env.get("AWS_DEFAULT_REGION")).orElse("us-east-1");
    StaticKeys keys = env.get("AWS_ACCESS_KEY_ID")
        .flatMap(id -> env.get("AWS_SECRET_ACCESS_KEY")
            .map(secret -> new StaticKeys(id, secret, env.get("AWS_SESSION_TOKEN").orElse(null))))
        .orElse(null);
    return new AwsSettings(
        region,
        uri(env, "AWS_ENDPOINT_URL"),
        uri(env, "AWS_ENDPOINT_URL_S3"),
        uri(env, "AWS_ENDPOINT_URL_DYNAMODB"),
        uri(env, "AWS_ENDPOINT_URL_BATCH"),
        uri(env, "AWS_ENDPOINT_URL_KMS"),
        keys);
  }

  private static URI uri(Environment env, String name) {
    return env.get(name).map(value -> {
      try {
        URI uri = new URI(value);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new URISyntaxException(value, "needs a scheme and a host");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new ConfigException(name + " must be a URL like http://127.0.0.1:9000, was '" + value + "'");
      }
    }).orElse(null);
  }

  public Optional<URI> s3() {
    return Optional.ofNullable(s3Endpoint != null ? s3Endpoint : endpoint);
  }

  public Optional<URI> dynamo() {
    return Optional.ofNullable(dynamoEndpoint != null ? dynamoEndpoint : endpoint);
  }

  public Optional<URI> kms() {
    return Optional.ofNullable(kmsEndpoint != null ? kmsEndpoint : endpoint);
  }

  public Optional<URI> batch() {
    return Optional.ofNullable(batchEndpoint != null ? batchEndpoint : endpoint);
  }
}
