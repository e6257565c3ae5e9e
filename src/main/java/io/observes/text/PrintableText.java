package io.observes.text;

import java.util.regex.Pattern;

/**
 * Text from data (an API's error, a run-log row, a job name) made safe to print on a terminal or
 * post to a chat: no escape sequence (which can clear the screen, move the cursor, set the window
 * title or hide what follows), no other control character, and no bidirectional override (which
 * shows text in another order than it is). Line breaks and tabs stay: messages may have several
 * lines. Our own output adds its colours after this, so they survive.
 */
public final class PrintableText {
  /**
   * ECMA-48 sequences: CSI (ESC [ or the one-byte 0x9B) with its parameters and final byte; OSC, DCS,
   * SOS, PM and APC strings up to their terminator (BEL or ESC \), or to the end when unterminated;
   * any other ESC and the byte after it.
   */
  private static final Pattern ESCAPES = Pattern.compile(
      "(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]?"
          + "|(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?"
          + "|\\u001b.?");

  /** C0 controls but tab and line feed, DEL, C1 controls, and the Unicode bidirectional embeddings, overrides and isolates. */
  private static final Pattern CONTROLS = Pattern.compile("[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e"
      + "\\u2066-\\u2069]");

  private PrintableText() {}

  /** {@code text} without escape sequences and control characters (CR LF becomes LF); null stays null. */
  public static String of(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = ESCAPES.matcher(text.replace("\r\n", "\n")).replaceAll("");
    return CONTROLS.matcher(out).replaceAll("");
  }
}
