package io.observes.secrets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A file whose data key is held by AWS KMS: Decrypt called (JSON 1.1, {@code TrentService.Decrypt})
 * with the entry's key ARN, ciphertext blob and encryption context, in the key's region, against
 * WireMock with KMS's documented responses; a refusal says what the role needs.
 */
class KmsDataKeyTest {
  static final String ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final byte[] BLOB = "AQICAHh-kms-ciphertext-blob-of-the-data-key".getBytes(StandardCharsets.US_ASCII);
  WireMockServer kms;
  byte[] dataKey = new byte[32];

  @BeforeEach
  void start() {
    kms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    kms.start();
    new SecureRandom().nextBytes(dataKey);
  }

  @AfterEach
  void stop() {
    kms.stop();
  }

  /** A file with only a KMS entry for its data key (the age entry sops would not have is removed). */
  String kmsFile() throws Exception {
    ObjectNode plain = SopsFile.NODES.objectNode().put("OBSERVES_ZOHO_CLIENT_SECRET", "zoho-s3cret");
    String text = SopsWriter.write(plain, dataKey, Map.of(), Instant.parse("2026-12-01T08:00:00Z"), new SecureRandom());
    ObjectNode tree = (ObjectNode) SopsWriter.YAML.readTree(text);
    ObjectNode entry = ((ObjectNode) tree.get("sops")).putArray("kms").addObject();
    entry.put("arn", ARN).put("created_at", "2026-12-01T08:00:00Z").put("enc", Base64.getEncoder().encodeToString(BLOB))
        .put("aws_profile", "");
    entry.putObject("context").put("app", "observes").put("env", "prod");
    return SopsWriter.YAML.writeValueAsString(tree);
  }

  SecretsFile file(String text) {
    Environment env = new Environment(Map.of("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:" + kms.port(),
        "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    return new SecretsFile("kms.enc.yaml", () -> text,
        () -> new DataKey(AgeIdentities.from(env, null), new KmsDataKey(AwsSettings.from(env))));
  }

  @Test
  void theDataKeyComesFromKmsDecryptWithTheEntrysContext() throws Exception {
    kms.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Decrypt"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody("{\"KeyId\": \"" + ARN + "\", \"Plaintext\": \"" + Base64.getEncoder().encodeToString(dataKey)
                + "\", \"EncryptionAlgorithm\": \"SYMMETRIC_DEFAULT\"}")));

    SecretsFile file = file(kmsFile());

    assertThat(file.find("OBSERVES_ZOHO_CLIENT_SECRET")).contains("zoho-s3cret");
    assertThat(file.decrypt().via()).isEqualTo("KMS key " + ARN);
    kms.verify(1, postRequestedFor(urlPathEqualTo("/")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock
            .containing("/eu-west-1/kms/aws4_request"))
        .withRequestBody(equalToJson("{\"KeyId\": \"" + ARN + "\", \"CiphertextBlob\": \""
            + Base64.getEncoder().encodeToString(BLOB) + "\", \"EncryptionContext\": {\"app\": \"observes\", \"env\": \"prod\"}}")));
  }

  @Test
  void aRefusalSaysWhatTheRoleNeedsAndAWrongKeyIsNotTakenForTheDataKey() throws Exception {
    kms.stubFor(post(urlPathEqualTo("/")).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody("{\"__type\": \"AccessDeniedException\", \"message\": \"User: arn:aws:sts::123456789012:assumed-role/"
            + "observes-job/x is not authorized to perform: kms:Decrypt\"}")));
    assertThatThrownBy(() -> file(kmsFile()).find("OBSERVES_ZOHO_CLIENT_SECRET"))
        .isInstanceOf(SecretsException.class)
        .hasMessageContaining("OBSERVES_ZOHO_CLIENT_SECRET is in kms.enc.yaml")
        .hasMessageContaining("KMS key " + ARN + ": KMS refused Decrypt (AccessDeniedException")
        .hasMessageContaining("give the job's role kms:Decrypt on this key")
        .hasMessageNotContaining("zoho-s3cret");

    kms.resetAll();
    byte[] other = new byte[32];
    kms.stubFor(post(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody("{\"KeyId\": \"" + ARN + "\", \"Plaintext\": \"" + Base64.getEncoder().encodeToString(other) + "\"}")));
    assertThatThrownBy(() -> file(kmsFile()).find("OBSERVES_ZOHO_CLIENT_SECRET"))
        .hasMessageContaining("does not authenticate");
  }
}
