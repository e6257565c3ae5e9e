package io.observes.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.config.Environment;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips on seeded random documents (nested maps and lists, str/int/float/bool, empty and
 * unicode strings, {@code _unencrypted} subtrees, names sops and YAML find awkward), with the data
 * key for age recipients written by jagged and by the real {@code age} tool, read back exactly.
 */
class SopsRoundTripTest {
  static final String[] WORDS = {"token", "db", "päss", "日本", "key_unencrypted", "on", "null", "true", "a:b", "#x", "-",
      "OBSERVES_GITLAB_TOKEN", " lead", "trail ", "emoji😀", "y", "~"};
  @TempDir Path dir;

  record Identity(String secret, String recipient) {}

  static Identity newIdentity() {
    try {
      KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
      return new Identity(pair.getPrivate().toString(), pair.getPublic().toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode document(Random random, int depth) {
    ObjectNode node = SopsFile.NODES.objectNode();
    int fields = 1 + random.nextInt(5);
    for (int i = 0; i < fields; i++) {
      String name = WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : "_" + i);
      node.set(name, value(random, depth));
    }
    return node;
  }

  static JsonNode value(Random random, int depth) {
    int kind = random.nextInt(depth > 2 ? 5 : 7);
    return switch (kind) {
      case 0 -> SopsFile.NODES.textNode(text(random));
      case 1 -> SopsFile.NODES.numberNode(BigInteger.valueOf(random.nextLong()).shiftRight(random.nextInt(60)));
      case 2 -> SopsFile.NODES.numberNode(Math.round(random.nextDouble() * 1e6) / 1e3);
      case 3 -> SopsFile.NODES.booleanNode(random.nextBoolean());
      case 4 -> SopsFile.NODES.textNode(random.nextBoolean() ? "" : "ENC-looking but plain: ENC[");
      case 5 -> document(random, depth + 1);
      default -> {
        ArrayNode list = SopsFile.NODES.arrayNode();
        for (int i = random.nextInt(4); i >= 0; i--) {
          list.add(value(random, depth + 1));
        }
        yield list;
      }
    };
  }

  static String text(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(40); i >= 0; i--) {
      int pick = random.nextInt(10);
      s.appendCodePoint(pick < 6 ? 'a' + random.nextInt(26) : pick < 8 ? "äö€日本😀".codePointAt(random.nextInt(5))
          : "\n\t :#'\"\\".charAt(random.nextInt(8)));
    }
    return s.toString();
  }

  static SecretsFile reader(String text, String identity) {
    Environment env = new Environment(Map.of("SOPS_AGE_KEY", identity));
    return new SecretsFile("round-trip.yaml", () -> text, () -> new DataKey(AgeIdentities.from(env, null), key -> {
      throw new SecretsException("no KMS here");
    }));
  }

  @Test
  void randomDocumentsComeBackExactly() {
    Random random = new Random(20261201);
    SecureRandom secure = new SecureRandom();
    Identity identity = newIdentity();
    assertThat(identity.secret()).startsWith("AGE-SECRET-KEY-1");
    assertThat(identity.recipient()).startsWith("age1");
    for (int round = 0; round < 150; round++) {
      ObjectNode plain = document(random, 0);
      byte[] dataKey = new byte[32];
      secure.nextBytes(dataKey);
      String text = SopsWriter.write(plain, dataKey, Map.of(identity.recipient(), SopsWriter.ageEncrypt(dataKey,
          identity.recipient())), Instant.parse("2026-12-01T10:00:00Z").plusSeconds(round), secure);
      ObjectNode back = reader(text, identity.secret()).decrypt().values();
      assertThat(normalized(back)).as("round %d:%n%s", round, text).isEqualTo(normalized(plain));
    }
  }

  /** Numbers compared by value (a float written as 2.5 reads back as a decimal). */
  static JsonNode normalized(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = SopsFile.NODES.objectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), normalized(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = SopsFile.NODES.arrayNode();
      node.forEach(v -> copy.add(normalized(v)));
      return copy;
    }
    if (node.isNumber()) {
      return SopsFile.NODES.textNode(node.decimalValue().stripTrailingZeros().toPlainString());
    }
    return node;
  }

  @Test
  void aDataKeyEncryptedByTheRealAgeToolOpens() throws Exception {
    Path age = Path.of("/usr/bin/age");
    Path keygen = Path.of("/usr/bin/age-keygen");
    assumeTrue(Files.isExecutable(age) && Files.isExecutable(keygen),
        "no age tool at /usr/bin/age: this test is skipped (.ci/run installs Debian's age; apt-get install age)");
    Path keys = dir.resolve("keys.txt");
    Process gen = new ProcessBuilder(keygen.toString(), "-o", keys.toString()).redirectErrorStream(true).start();
    assertThat(gen.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String keyFile = Files.readString(keys, StandardCharsets.UTF_8);
    String recipient = keyFile.lines().filter(l -> l.startsWith("# public key: ")).findFirst().orElseThrow().substring(14);
    byte[] dataKey = new byte[32];
    new SecureRandom().nextBytes(dataKey);
    Path raw = dir.resolve("data.key");
    Files.write(raw, dataKey);
    Process enc = new ProcessBuilder(age.toString(), "--encrypt", "--armor", "-r", recipient, raw.toString())
        .redirectOutput(dir.resolve("data.key.age").toFile()).redirectError(dir.resolve("age.err").toFile()).start();
    assertThat(enc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(enc.exitValue()).as(Files.readString(dir.resolve("age.err"))).isZero();
    String armored = Files.readString(dir.resolve("data.key.age"), StandardCharsets.US_ASCII);

    ObjectNode plain = document(new Random(7), 0);
    plain.put("OBSERVES_WAREHOUSE_PASSWORD", "s3cr3t-from-age");
    String text = SopsWriter.write(plain, dataKey, Map.of(recipient, armored), Instant.parse("2026-12-01T11:00:00Z"),
        new SecureRandom());
    Environment env = new Environment(Map.of("SOPS_AGE_KEY_FILE", keys.toString()));
    SecretsFile file = new SecretsFile("age-tool.yaml", () -> text, () -> new DataKey(AgeIdentities.from(env, null), key -> {
      throw new SecretsException("no KMS here");
    }));
    assertThat(file.find("OBSERVES_WAREHOUSE_PASSWORD")).contains("s3cr3t-from-age");
    assertThat(normalized(file.decrypt().values())).isEqualTo(normalized(plain));

    // And the other way round: the real age tool opens what jagged wrote for its recipient.
    Files.writeString(dir.resolve("jagged.age"), SopsWriter.ageEncrypt(dataKey, recipient), StandardCharsets.US_ASCII);
    Process dec = new ProcessBuilder(age.toString(), "--decrypt", "-i", keys.toString(), dir.resolve("jagged.age").toString())
        .redirectOutput(dir.resolve("opened.key").toFile()).redirectError(dir.resolve("dec.err").toFile()).start();
    assertThat(dec.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("opened.key"))).isEqualTo(dataKey);
  }

  @Test
  void goFloatFormatsAsSops() {
    assertThat(List.of(1.0, 1.5, 1234568000.0, 1e-7, 1e21, -0.25)).extracting(SopsDecryption::goFloat)
        .containsExactly("1", "1.5", "1234568000", "0.0000001", "1000000000000000000000", "-0.25");
  }
}
