package io.observes.pipeline.value;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A source's UTF-8 bytes as text, strictly and losslessly: a decoder that reports (never replaces)
 * what is not UTF-8 writes each such byte {@code b} as the lone surrogate {@code U+DC00 + b}
 * ("surrogate escape"). Valid UTF-8 never decodes to a lone surrogate, so the escapes mark exactly
 * the bad bytes, every other character is what the source wrote, and the bytes can be given back.
 * A parser of the text (CSV) sees every ASCII character where the source put it: no byte of a bad
 * sequence is ASCII, so a bad byte stays inside its field.
 */
public final class SourceBytes {
  private static final char ESCAPE = '\uDC00';

  private SourceBytes() {}

  /** A reader of {@code in}'s UTF-8, with each byte that is not UTF-8 escaped. */
  public static Reader reader(InputStream in) {
    return new EscapingReader(in);
  }

  /**
   * Where {@code text} (from {@link #reader}) holds a byte that was not UTF-8: "0xE9 at byte
   * offset 9" (of the text's bytes, from 0), or null if it holds none.
   */
  public static String firstInvalid(String text) {
    long offset = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        offset += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        return String.format(Locale.ROOT, "0x%02X at byte offset %d", c - ESCAPE & 0xFF, offset);
      } else {
        offset += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    return null;
  }

  /**
   * A field's text as a value: the text, or, when it holds bytes that were not UTF-8, a
   * {@link Value.Invalid} saying where (the escaped text is kept for {@code _rejected}, where each bad
   * byte reads as the JSON escape of U+DCXX, XX its hex).
   */
  public static Value text(String text) {
    String invalid = firstInvalid(text);
    return invalid == null ? new Value.Text(text) : new Value.Invalid(new Value.Text(text), reason(invalid));
  }

  /** Why a value with a byte that is not UTF-8 is rejected. */
  public static String reason(String where) {
    return "the source's bytes are not valid UTF-8: " + where + " of the value; kept here as read, each byte that is "
        + "not UTF-8 written \\uDCXX (XX its hex), never replaced";
  }

  /** The source's bytes of {@code text} (from {@link #reader}): escapes back to their bytes. */
  public static byte[] bytes(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.write(c - ESCAPE);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  private static final class EscapingReader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Bytes read and not decoded yet (read mode). */
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    /** Characters decoded and not handed out yet (read mode). */
    private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
    private boolean eof;
    private boolean done;

    EscapingReader(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(char[] into, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!chars.hasRemaining()) {
        fill();
        if (!chars.hasRemaining()) {
          return -1;
        }
      }
      int n = Math.min(len, chars.remaining());
      chars.get(into, off, n);
      return n;
    }

    /** Decodes at least one character, reading bytes as needed; none at the end of the input. */
    private void fill() throws IOException {
      chars.clear();
      while (!done) {
        CoderResult result = decoder.decode(bytes, chars, eof);
        if (result.isError()) {
          if (chars.remaining() < result.length()) {
            break; // handed out first; the sequence is decoded again next time
          }
          for (int i = 0; i < result.length(); i++) {
            chars.put((char) (ESCAPE + (bytes.get() & 0xFF)));
          }
        } else if (result.isOverflow() || chars.position() > 0) {
          break;
        } else if (eof) {
          decoder.flush(chars);
          done = true;
        } else {
          bytes.compact();
          int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
          if (read < 0) {
            eof = true;
          } else {
            bytes.position(bytes.position() + read);
          }
          bytes.flip();
        }
      }
      chars.flip();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
