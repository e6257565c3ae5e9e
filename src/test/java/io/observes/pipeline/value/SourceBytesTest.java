package io.observes.pipeline.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Source bytes read strictly and losslessly: seeded random mixtures of valid UTF-8 (1 to 4 bytes),
 * stray bytes, cut and overlong sequences and encoded surrogates, read through streams that hand out
 * a few bytes at a time.
 */
class SourceBytesTest {
  static final String[] VALID = {"a", "\"", ",", "\n", "é", "€", "日", "😀", "\uFFFD", "\u2028"};
  static final byte[][] INVALID = {{(byte) 0xE9}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

  /** A stream that never hands out more than a few bytes at once: sequences split across reads. */
  static InputStream trickle(byte[] bytes, Random random) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + random.nextInt(5)));
      }
    };
  }

  static String read(InputStream in, Random random) throws IOException {
    StringBuilder out = new StringBuilder();
    try (Reader reader = SourceBytes.reader(in)) {
      char[] buffer = new char[1 + random.nextInt(7)];
      for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
        out.append(buffer, 0, n);
      }
    }
    return out.toString();
  }

  /** The byte offset where a strict decoder first fails, or -1: the JDK's own decoder, used directly. */
  static int strictFailure(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length * 2 + 2), true);
    return result.isError() ? in.position() : -1;
  }

  @Test
  void everyByteIsKeptAndOnlyBytesThatAreNotUtf8AreMarked() throws IOException {
    Random random = new Random(2_816);
    int invalidCases = 0;
    for (int round = 0; round < 3_000; round++) {
      ByteArrayOutputStream source = new ByteArrayOutputStream();
      StringBuilder ascii = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        byte[] piece = random.nextInt(8) == 0 ? INVALID[random.nextInt(INVALID.length)]
            : VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8);
        source.writeBytes(piece);
      }
      byte[] bytes = source.toByteArray();
      for (byte b : bytes) {
        if (b >= 0) {
          ascii.append((char) b);
        }
      }

      String text = read(trickle(bytes, random), random);

      assertThat(SourceBytes.bytes(text)).as("round %d: the bytes given back", round).isEqualTo(bytes);
      assertThat(text.chars().filter(c -> c < 0x80).collect(StringBuilder::new, StringBuilder::appendCodePoint,
          StringBuilder::append).toString()).as("round %d: every ASCII character where it was", round).isEqualTo(ascii.toString());
      int failure = strictFailure(bytes);
      String invalid = SourceBytes.firstInvalid(text);
      if (failure < 0) {
        assertThat(invalid).as("round %d", round).isNull();
        assertThat(text).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        assertThat(SourceBytes.text(text)).isEqualTo(new Value.Text(text));
      } else {
        invalidCases++;
        assertThat(invalid).as("round %d", round)
            .isEqualTo(String.format("0x%02X at byte offset %d", bytes[failure] & 0xFF, failure));
        assertThat(SourceBytes.text(text)).isInstanceOfSatisfying(Value.Invalid.class,
            v -> assertThat(v.reason()).contains("not valid UTF-8", invalid));
      }
    }
    assertThat(invalidCases).isGreaterThan(1_000);
  }

  @Test
  void theEndOfTheInputCutsASequenceShortAndThatIsMarkedToo() throws IOException {
    byte[] cut = {'o', 'k', (byte) 0xF0, (byte) 0x9F};
    String text = read(new ByteArrayInputStream(cut), new Random(1));
    assertThat(text).isEqualTo("ok\uDCF0\uDC9F");
    assertThat(SourceBytes.firstInvalid(text)).isEqualTo("0xF0 at byte offset 2");
    assertThat(read(new ByteArrayInputStream(new byte[0]), new Random(1))).isEmpty();
  }

  @Test
  void aLargeInputIsReadWhole() throws IOException {
    byte[] big = "naïve, 日本 😀\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
    big[big.length / 2] = (byte) 0xFF;
    String text = read(new ByteArrayInputStream(big), new Random(2));
    assertThat(SourceBytes.bytes(text)).isEqualTo(big);
  }
}
