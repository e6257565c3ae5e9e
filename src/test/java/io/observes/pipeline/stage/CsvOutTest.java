package io.observes.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvOutTest {
  @Test
  void theQuoteFoundEightBytesAtATimeIsTheFirstOne() {
    Random random = new Random(20);
    byte[] alphabet = {'"', '"', 'a', ',', '\n', 0, (byte) 0xA2, (byte) 0xE2, (byte) 0x22 ^ (byte) 0x80, 0x21, 0x23, 0x01};
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        // Mostly one byte everywhere (long runs without a quote), else any of the alphabet or any byte.
        int pick = random.nextInt(10);
        bytes[i] = pick < 5 ? (byte) 'x' : pick < 9 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      assertThat(CsvOut.indexOfQuote(bytes, from)).as("%s from %d", java.util.Arrays.toString(bytes), from)
          .isEqualTo(firstQuote(bytes, from));
    }
  }

  private static int firstQuote(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '"') {
        return i;
      }
    }
    return -1;
  }
}
