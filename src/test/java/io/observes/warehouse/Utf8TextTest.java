package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8TextTest {
  @Test
  void countsBytesAsUtf8Does() {
    for (String s : new String[] {"", "a", "é", "日本", "😀", "a😀é日"}) {
      assertThat(Utf8Text.bytes(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void cutsOnCodePointBoundariesWithinTheLimitAndSaysSo() {
    Random random = new Random(42);
    int[] pool = {'a', 'é', '日', 0x1F600};
    for (int round = 0; round < 2000; round++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(200);
      for (int i = 0; i < n; i++) {
        text.appendCodePoint(pool[random.nextInt(pool.length)]);
      }
      int max = 6 + random.nextInt(120);
      String cut = Utf8Text.cut(text.toString(), max, " [...]");
      byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
      assertThat(bytes.length).isLessThanOrEqualTo(max);
      // Valid UTF-8: round-trips, no half characters.
      assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(cut);
      if (text.toString().getBytes(StandardCharsets.UTF_8).length <= max) {
        assertThat(cut).isEqualTo(text.toString());
      } else {
        assertThat(cut).endsWith(" [...]");
        assertThat(text.toString()).startsWith(cut.substring(0, cut.length() - 6));
        // The longest prefix that fits: one more code point would not.
        String prefix = cut.substring(0, cut.length() - 6);
        String next = text.substring(0, prefix.length() + Character.charCount(text.codePointAt(prefix.length())));
        assertThat(Utf8Text.bytes(next) + 6).isGreaterThan(max);
      }
    }
  }
}
