package io.observes.secrets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes the repository's {@code secrets.enc.yaml}: every secret name the catalogue's jobs use,
 * each with a test value, for the test age key in src/test/resources/secrets (no real secret).
 * Run when the catalogue gains a secret: {@code java -cp ... io.observes.secrets.TestSecretsFile
 * secrets.enc.yaml AGE_RECIPIENT ARMORED_DATA_KEY_FILE DATA_KEY_FILE}; CommittedSecretsTest checks
 * the result.
 */
public final class TestSecretsFile {
  private TestSecretsFile() {}

  static String value(String name) {
    return "test value of " + name + ", not a secret";
  }

  public static void main(String[] args) throws Exception {
    TreeSet<String> names = new TreeSet<>();
    io.observes.batch.JobCatalogue.load(Path.of("etl-jobs")).jobs().forEach(j -> names.addAll(j.secrets()));
    ObjectNode plain = SopsFile.NODES.objectNode();
    names.forEach(n -> plain.put(n, value(n)));
    byte[] dataKey = Files.readAllBytes(Path.of(args[3]));
    String armored = Files.readString(Path.of(args[2]), StandardCharsets.US_ASCII);
    Files.writeString(Path.of(args[0]), SopsWriter.write(plain, dataKey, Map.of(args[1], armored), Instant.now(),
        new SecureRandom()), StandardCharsets.UTF_8);
  }
}
