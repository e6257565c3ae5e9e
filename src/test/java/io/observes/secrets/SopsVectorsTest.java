package io.observes.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.config.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files the real sops wrote (getsops/sops test vectors, src/test/resources/sops/README.md): every
 * value type, nested maps, lists, encrypted comments, the {@code _unencrypted} suffix and the MAC
 * read exactly; the same files with the data key for the age identity of sops's own tests opened
 * end to end; every way of changing a file without its key refused with the path it concerns.
 */
class SopsVectorsTest {
  /** The identity of getsops/sops age/keysource_test.go (mockIdentity); its recipient is age1lzd99... */
  static final String SOPS_TEST_IDENTITY = "AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7";
  static final Map<String, String> DATA_KEYS = Map.of(
      "example.yaml", "8c68886c50b5b72965a3cb99c5172e1d74a8aca27b39ee880b535d6907e59f68",
      "format.enc.yaml", "af5e68dd342b72c6a0475f81a50da4fde898f4b7742c92cbcf1668211411f4e4",
      "multiple_keys.yaml", "1e1db61c6b93c001caa9ce34a9d68448eee8a3c69336697eab36bb92327ce786",
      "comments.enc.yaml", "61bec946f5783fd4cea3d1b1ce407fce2b6e81fc301cc539c422015e27f6d1be",
      "no_mac.yaml", "87f9ee7ab041cfd1946fb50e6166b29858fcb4224ae3816186a129248558461f");

  static String resource(String name) {
    try (InputStream in = SopsVectorsTest.class.getResourceAsStream("/sops/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode open(String name) {
    return SopsDecryption.open(SopsFile.parse(name, resource(name)), HexFormat.of().parseHex(DATA_KEYS.get(name)));
  }

  static SecretsFile ageFile(String name, String text, String identity) {
    Environment env = new Environment(identity == null ? Map.of() : Map.of("SOPS_AGE_KEY", identity));
    return new SecretsFile(name, () -> text, () -> new DataKey(AgeIdentities.from(env, null), key -> {
      throw new SecretsException("no KMS here");
    }));
  }

  @Test
  void everyKindOfValueOfSopsExampleFileIsReadAndItsMacHolds() {
    ObjectNode plain = open("example.yaml");

    assertThat(plain.path("myapp1").asText()).isEqualTo("t00m4nys3cr3tzupdated");
    assertThat(plain.path("app2").path("db").path("user").asText()).isEqualTo("eve");
    assertThat(plain.path("app2").path("db").path("password").asText()).isEqualTo("c4r1b0u");
    assertThat(plain.path("app2").path("key").asText()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(plain.path("number").decimalValue()).isEqualByComparingTo("1234568000");
    assertThat(plain.path("an_array")).hasSize(4);
    assertThat(plain.path("an_array").get(0).asText()).isEqualTo("secretuser1");
    assertThat(plain.path("somebooleans").get(0).booleanValue()).isTrue();
    assertThat(plain.path("somebooleans").get(1).booleanValue()).isFalse();
    assertThat(plain.path("this").path("is").path("a").path("nested").path("value").asText())
        .isEqualTo("with something secret in it");
    assertThat(plain.path("somelist_unencrypted").get(0).asText()).isEqualTo("all elements of this list");
  }

  @Test
  void theOtherSopsVectorsOpenAndAFileWithoutMacIsRefused() {
    assertThat(open("format.enc.yaml").path("foo").asText()).isEqualTo("bar");
    assertThat(open("multiple_keys.yaml").path("message").asText()).isEqualTo("hello");
    ObjectNode comments = open("comments.enc.yaml");
    assertThat(comments.path("lorem").asText()).isEqualTo("ipsum");
    assertThat(comments.path("dolor").asText()).isEqualTo("sit");
    assertThatThrownBy(() -> open("no_mac.yaml")).isInstanceOf(SecretsException.class).hasMessageContaining("has no MAC");
  }

  @Test
  void theAgeVersionsOpenWithSopsTestIdentity() {
    SecretsFile format = ageFile("format.age.yaml", resource("format.age.yaml"), SOPS_TEST_IDENTITY);
    assertThat(format.find("foo")).contains("bar");
    assertThat(format.decrypt().via()).isEqualTo("age recipient age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun");

    SecretsFile example = ageFile("example.age.yaml", resource("example.age.yaml"), SOPS_TEST_IDENTITY);
    assertThat(example.names()).contains("myapp1", "app2", "number", "an_array", "somelist_unencrypted");
    assertThat(example.find("myapp1")).contains("t00m4nys3cr3tzupdated");
    assertThat(example.find("number")).contains("1234568000");
    assertThat(example.find("missing")).isEmpty();
    assertThatThrownBy(() -> example.find("app2")).hasMessageContaining("app2 in example.age.yaml is a map");
  }

  @Test
  void withoutTheKeyOrWithAnotherOneTheFileIsNotOpenedAndTheErrorSaysWhatToSet() {
    String text = resource("format.age.yaml");
    assertThatThrownBy(() -> ageFile("format.age.yaml", text, null).find("foo"))
        .isInstanceOf(SecretsException.class)
        .hasMessageContaining("foo is in format.age.yaml")
        .hasMessageContaining("no age identity here (set SOPS_AGE_KEY_FILE");
    assertThatThrownBy(() -> ageFile("format.age.yaml", text, SopsRoundTripTest.newIdentity().secret()).find("foo"))
        .hasMessageContaining("age recipient age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun: no identity of "
            + "[SOPS_AGE_KEY] opens it")
        .hasMessageNotContaining(SOPS_TEST_IDENTITY);
  }

  @Test
  void aChangedMovedRemovedOrAddedValueIsRefused() {
    String text = resource("example.age.yaml");
    String user = "user: ENC[AES256_GCM,data:tQ1l,";
    assertThat(text).contains(user);
    // A flipped bit of the ciphertext.
    assertThatThrownBy(() -> ageFile("f", text.replace(user, "user: ENC[AES256_GCM,data:tQ1m,"), SOPS_TEST_IDENTITY)
        .find("myapp1")).hasMessageContaining("the value of 'app2.db.user' does not authenticate");
    // Two encrypted values swapped between keys: each is bound to its path.
    String myapp1 = text.lines().filter(l -> l.startsWith("myapp1: ")).findFirst().orElseThrow().substring(8);
    String number = text.lines().filter(l -> l.startsWith("number: ")).findFirst().orElseThrow().substring(8);
    String swapped = text.replace("myapp1: " + myapp1, "myapp1: " + number).replace("number: " + number, "number: " + myapp1);
    assertThatThrownBy(() -> ageFile("f", swapped, SOPS_TEST_IDENTITY).find("myapp1"))
        .hasMessageContaining("does not authenticate");
    // A value removed, or an unencrypted one changed: the MAC no longer holds.
    String removed = text.replaceFirst("myapp1: [^\\n]*\\n", "");
    assertThatThrownBy(() -> ageFile("f", removed, SOPS_TEST_IDENTITY).find("number")).hasMessageContaining("MAC mismatch");
    String changed = text.replace("- remain in clear text", "- remain in plain text");
    assertThat(changed).isNotEqualTo(text);
    assertThatThrownBy(() -> ageFile("f", changed, SOPS_TEST_IDENTITY).find("myapp1")).hasMessageContaining("MAC mismatch");
    // A plaintext value added where the rule says encrypted.
    String added = text.replaceFirst("myapp1: ", "injected: hello\nmyapp1: ");
    assertThatThrownBy(() -> ageFile("f", added, SOPS_TEST_IDENTITY).find("myapp1"))
        .hasMessageContaining("the value of 'injected' is not encrypted");
    // The time the MAC is bound to, changed.
    String later = text.replaceFirst("lastmodified: \"?[^\\n\"]*\"?", "lastmodified: \"2030-01-01T00:00:00Z\"");
    assertThatThrownBy(() -> ageFile("f", later, SOPS_TEST_IDENTITY).find("myapp1"))
        .hasMessageContaining("its MAC does not open with the data key");
  }

  @Test
  void aFileThatIsNotSopsSaysHowToEncryptIt() {
    assertThatThrownBy(() -> SopsFile.parse("plain.yaml", "OBSERVES_GITLAB_TOKEN: glpat-x\n"))
        .hasMessageContaining("has no 'sops:' block").hasMessageContaining("sops encrypt --in-place plain.yaml")
        .hasMessageNotContaining("glpat-x");
    assertThatThrownBy(() -> SopsFile.parse("bad.yaml", "a: [unclosed\n")).hasMessageContaining("is not valid YAML");
  }
}
