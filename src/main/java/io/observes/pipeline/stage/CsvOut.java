package io.observes.pipeline.stage;

import java.io.OutputStream;

/**
 * The CSV of one part into its compressing stream through a plain byte buffer: the JDK's buffered
 * streams lock on every write, which costs more than the writing itself at one call per byte.
 */
final class CsvOut {
  private static final byte QUOTE = '"';

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
   * fits the buffer even with every byte doubled is copied in place; else it is split at the
   * buffer's end: the buffers handed to the compressor hold the same bytes either way.
   */
  void quoted(byte[] value) {
    if (2L * value.length + 2 <= buffer.length - used) {
      byte[] out = buffer;
      int at = used;
      out[at++] = QUOTE;
      int start = 0;
      for (int i = 0; i < value.length; i++) {
        if (value[i] == QUOTE) {
          int n = i - start + 1;
          System.arraycopy(value, start, out, at, n);
          at += n;
          out[at++] = QUOTE;
          start = i + 1;
        }
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
