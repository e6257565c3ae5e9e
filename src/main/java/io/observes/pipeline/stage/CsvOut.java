package io.observes.pipeline.stage;

import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The CSV of one part into its compressing stream through a plain byte buffer: the JDK's buffered
 * streams lock on every write, which costs more than the writing itself at one call per byte.
 */
final class CsvOut {
  private static final byte QUOTE = '"';
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long QUOTES = 0x2222222222222222L;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final OutputStream compressed;
  private final Compressor compressor;
  private byte[] buffer;
  private int used;
  private long written;

  CsvOut(OutputStream compressed, Compressor compressor) {
    this.compressed = compressed;
    this.compressor = compressor;
    this.buffer = compressor.buffer();
  }

  long written() {
    return written + used;
  }

  void comma() {
    single((byte) ',');
  }

  void newline() {
    single((byte) '\n');
  }

  private void single(byte b) {
    if (used == buffer.length) {
      flush();
    }
    buffer[used++] = b;
  }

  void raw(byte[] bytes) {
    if (bytes.length <= buffer.length - used) {
      System.arraycopy(bytes, 0, buffer, used, bytes.length);
      used += bytes.length;
      return;
    }
    chunk(bytes, 0, bytes.length);
  }

  /**
   * RFC 4180: always quoted, quotes doubled. UTF-8 continuation bytes never equal '"'. A value that
   * fits the buffer even with every byte doubled is copied in place, between the quotes it holds
   * (found eight bytes at a time); else it is split at the buffer's end: the buffers handed to the
   * compressor hold the same bytes either way.
   */
  void quoted(byte[] value) {
    if (2L * value.length + 2 <= buffer.length - used) {
      byte[] out = buffer;
      int at = used;
      out[at++] = QUOTE;
      int start = 0;
      for (int quote = indexOfQuote(value, 0); quote >= 0; quote = indexOfQuote(value, start)) {
        int n = quote - start + 1;
        System.arraycopy(value, start, out, at, n);
        at += n;
        out[at++] = QUOTE;
        start = quote + 1;
      }
      int n = value.length - start;
      System.arraycopy(value, start, out, at, n);
      at += n;
      out[at++] = QUOTE;
      used = at;
      return;
    }
    single(QUOTE);
    int start = 0;
    for (int i = 0; i < value.length; i++) {
      if (value[i] == QUOTE) {
        chunk(value, start, i - start + 1);
        single(QUOTE);
        start = i + 1;
      }
    }
    chunk(value, start, value.length - start);
    single(QUOTE);
  }

  /**
   * The index of the first '"' in {@code bytes} at or after {@code from}, or -1: eight bytes at a
   * time, a byte equal to '"' being a zero byte of the word XOR '"' in every byte. The lowest byte
   * flagged is always a true zero (a borrow only flags bytes above one), and the words are read
   * little-endian, so the lowest flagged byte is the first quote.
   */
  static int indexOfQuote(byte[] bytes, int from) {
    int i = from;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      long x = (long) LONGS.get(bytes, i) ^ QUOTES;
      long zeros = (x - ONES) & ~x & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] == QUOTE) {
        return i;
      }
    }
    return -1;
  }

  /** Row ids and indexes: ASCII without quotes. */
  void quotedAscii(String text) {
    if (text.length() + 2 > buffer.length - used) {
      flush();
    }
    buffer[used++] = QUOTE;
    for (int i = 0; i < text.length(); i++) {
      buffer[used++] = (byte) text.charAt(i);
    }
    buffer[used++] = QUOTE;
  }

  private void chunk(byte[] bytes, int from, int length) {
    while (length > 0) {
      if (used == buffer.length) {
        flush();
      }
      int n = Math.min(length, buffer.length - used);
      System.arraycopy(bytes, from, buffer, used, n);
      used += n;
      from += n;
      length -= n;
    }
  }

  /** Hands the filled buffer to the compressor and takes an empty one. */
  private void flush() {
    compressor.write(compressed, buffer, used);
    written += used;
    used = 0;
    buffer = compressor.buffer();
  }

  /** The rest of the bytes and the stream's close go to the compressor; {@code after} runs once closed. */
  void close(Runnable after) {
    compressor.write(compressed, buffer, used);
    written += used;
    used = 0;
    buffer = null;
    compressor.close(compressed, after);
  }
}
