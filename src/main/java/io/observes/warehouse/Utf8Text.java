package io.observes.warehouse;

import java.util.Objects;

/**
 * Text cut to a number of UTF-8 bytes on a code-point boundary: Redshift's VARCHAR(n) counts bytes,
 * so a cut by characters can still overflow it, and a cut inside a character would not be UTF-8.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /** UTF-8 bytes of {@code text}; an unpaired surrogate counts as 3 (never fewer than it is written as). */
  public static int bytes(CharSequence text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * {@code text} if it fits {@code maxBytes}, else its longest prefix that fits together with
   * {@code marker} (which says it was cut).
   */
  public static String cut(String text, int maxBytes, String marker) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(marker, "marker");
    if (bytes(text) <= maxBytes) {
      return text;
    }
    int room = maxBytes - bytes(marker);
    if (room < 0) {
      throw new IllegalArgumentException("the marker alone exceeds " + maxBytes + " bytes");
    }
    int used = 0;
    int end = 0;
    while (end < text.length()) {
      char c = text.charAt(end);
      boolean pair = Character.isHighSurrogate(c) && end + 1 < text.length() && Character.isLowSurrogate(text.charAt(end + 1));
      int size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
      if (used + size > room) {
        break;
      }
      used += size;
      end += pair ? 2 : 1;
    }
    return text.substring(0, end) + marker;
  }
}
