package io.observes.secrets;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import java.util.Base64;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A data key from AWS KMS ({@code Decrypt} of the entry's ciphertext blob with its key ARN and
 * encryption context), in the key's own region, as the role of the entry when it names one. The
 * endpoint follows {@code AWS_ENDPOINT_URL_KMS} / {@code AWS_ENDPOINT_URL}.
 */
public final class KmsDataKey implements DataKey.KmsDecrypt {
  private final AwsSettings settings;

  public KmsDataKey(AwsSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public byte[] decrypt(SopsMetadata.KmsKey key) {
    String[] arn = key.arn().split(":");
    if (arn.length < 6 || !arn[0].equals("arn") || !arn[2].equals("kms")) {
      throw new SecretsException("'" + key.arn() + "' is not a KMS key ARN (arn:aws:kms:region:account:key/id)");
    }
    byte[] blob = blob(key);
    try (KmsClient kms = AwsClients.kms(settings, arn[3], key.role())) {
      return kms.decrypt(DecryptRequest.builder().keyId(key.arn()).ciphertextBlob(SdkBytes.fromByteArray(blob))
          .encryptionContext(key.context()).build()).plaintext().asByteArray();
    } catch (KmsException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      throw new SecretsException("KMS refused Decrypt (" + code + ": " + (e.awsErrorDetails() == null ? e.getMessage()
          : e.awsErrorDetails().errorMessage()) + ")" + ("AccessDeniedException".equals(code)
          ? "; give the job's role kms:Decrypt on this key" : ""));
    } catch (SdkClientException e) {
      throw new SecretsException("KMS could not be reached or no AWS credentials were found (" + e.getMessage() + ")");
    }
  }

  /** The entry's base64 ciphertext blob, decoded. */
  private static byte[] blob(SopsMetadata.KmsKey key) {
    try {
      return Base64.getDecoder().decode(key.enc().replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new SecretsException("its enc is not base64");
    }
  }
}
