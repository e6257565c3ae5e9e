package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Redshift-staged CSV read as PostgreSQL's: every NULL field (only NUL, unquoted) becomes {@code \N},
 * every quoted value passes byte for byte, whatever it holds and however the reads are cut.
 */
class NulMarkerStreamTest {
  static final String[] VALUES = {"", "plain", "with \"\"quotes\"\"", "comma, inside", "new\nline", "cr\r\nlf", "\\N",
      "back\\slash", "日本 😀", "\"\"", ",", "ends with \"\""};

  @Test
  void nullFieldsBecomePostgresMarkersAndEveryQuotedValuePassesUnchanged() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      StringBuilder redshift = new StringBuilder();
      StringBuilder postgres = new StringBuilder();
      int rows = 1 + random.nextInt(40);
      for (int r = 0; r < rows; r++) {
        int fields = 1 + random.nextInt(6);
        for (int f = 0; f < fields; f++) {
          String sep = f == 0 ? "" : ",";
          if (random.nextInt(3) == 0) {
            redshift.append(sep).append('\0');
            postgres.append(sep).append("\\N");
          } else {
            String value = '"' + VALUES[random.nextInt(VALUES.length)] + '"';
            redshift.append(sep).append(value);
            postgres.append(sep).append(value);
          }
        }
        redshift.append('\n');
        postgres.append('\n');
      }
      byte[] translated = readInRandomChunks(new NulMarkerStream(
          new ByteArrayInputStream(redshift.toString().getBytes(StandardCharsets.UTF_8)), "s3://b/f.csv.gz"), random);
      assertThat(new String(translated, StandardCharsets.UTF_8)).as("round %d", round).isEqualTo(postgres.toString());
    }
  }

  @Test
  void aNulInsideAQuotedValueFailsTheReadNamingTheFile() {
    byte[] csv = "\"ok\",\"bad\0value\"\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new NulMarkerStream(new ByteArrayInputStream(csv), "s3://b/part-7.csv.gz").readAllBytes())
        .isInstanceOf(IOException.class).hasMessageContaining("s3://b/part-7.csv.gz").hasMessageContaining("quoted value");
  }

  @Test
  void aFileOfOnlyNullsAndAnEmptyFileAreRead() throws Exception {
    assertThat(new NulMarkerStream(new ByteArrayInputStream(new byte[0]), "f").readAllBytes()).isEmpty();
    byte[] nulls = new byte[100_000];
    for (int i = 1; i < nulls.length; i += 2) {
      nulls[i] = (byte) (i % 4 == 1 ? ',' : '\n');
    }
    String out = new String(new NulMarkerStream(new ByteArrayInputStream(nulls), "f").readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).hasSize(150_000).startsWith("\\N,\\N\n").doesNotContain("\0");
  }

  static byte[] readInRandomChunks(InputStream in, Random random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[97];
    while (true) {
      if (random.nextBoolean()) {
        int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length));
        if (n < 0) {
          return out.toByteArray();
        }
        out.write(buffer, 0, n);
      } else {
        int b = in.read();
        if (b < 0) {
          return out.toByteArray();
        }
        out.write(b);
      }
    }
  }
}
