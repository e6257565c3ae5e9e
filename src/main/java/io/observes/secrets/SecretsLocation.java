package io.observes.secrets;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the secrets file is: {@code --secrets FILE}, else {@code OBSERVES_SECRETS_FILE}, else the
 * default ({@code secrets.enc.yaml} in the working directory) when it exists. A file named
 * explicitly must exist; {@code s3://bucket/key} reads it from S3 (on AWS Batch).
 */
public final class SecretsLocation {
  public static final String VARIABLE = "OBSERVES_SECRETS_FILE";
  public static final String DEFAULT_NAME = "secrets.enc.yaml";

  private SecretsLocation() {}

  /** The file's secrets, or empty when none is named and the default does not exist. */
  public static Optional<SecretsFile> resolve(Environment env, Optional<String> flag, Optional<Path> defaultFile) {
    Optional<String> named = flag.filter(f -> !f.isBlank()).or(() -> env.variable(VARIABLE));
    String what = flag.filter(f -> !f.isBlank()).isPresent() ? "--secrets" : VARIABLE;
    if (named.isEmpty()) {
      return defaultFile.filter(Files::isRegularFile).map(path -> local(env, path, path.toString()));
    }
    String location = named.get();
    if (location.startsWith("s3://")) {
      return Optional.of(new SecretsFile(location, () -> fromS3(env, location), () -> keys(env)));
    }
    Path path = Path.of(location);
    if (!Files.isRegularFile(path)) {
      throw new SecretsException(what + " names " + location + ", which is not a file; give the path of the "
          + "sops-encrypted secrets (e.g. " + DEFAULT_NAME + ") or an s3://bucket/key");
    }
    return Optional.of(local(env, path, location));
  }

  private static SecretsFile local(Environment env, Path path, String origin) {
    return new SecretsFile(origin, () -> {
      try {
        return Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new SecretsException("reading " + origin + " failed: " + e.getMessage());
      }
    }, () -> keys(env));
  }

  private static String fromS3(Environment env, String location) {
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new SecretsException(VARIABLE + " must be s3://bucket/key, was " + location);
    }
    try (S3Client s3 = AwsClients.s3(AwsSettings.from(env))) {
      return s3.getObjectAsBytes(b -> b.bucket(rest.substring(0, slash)).key(rest.substring(slash + 1)))
          .asString(StandardCharsets.UTF_8);
    } catch (SdkException e) {
      throw new SecretsException("reading " + location + " from S3 failed (" + e.getMessage() + "); the job's role needs "
          + "s3:GetObject on it");
    }
  }

  private static DataKey keys(Environment env) {
    return new DataKey(AgeIdentities.from(env, Optional.ofNullable(System.getProperty("user.home")).map(Path::of)
        .orElse(null)), new KmsDataKey(AwsSettings.from(env)));
  }
}
