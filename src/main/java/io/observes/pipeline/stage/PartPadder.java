package io.observes.pipeline.stage;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Gives every row of a staged CSV part NULLs for columns added after the part was written: a NULL
 * marker per missing column at the end of each row. Rows end at a newline outside quotes; every
 * value is quoted with quotes doubled, so counting quotes tells inside from outside.
 */
final class PartPadder {
  private PartPadder() {}

  static void pad(InputStream csv, OutputStream padded, int missing, byte[] nullMarker) throws IOException {
    byte[] suffix = new byte[missing * (nullMarker.length + 1)];
    for (int i = 0; i < missing; i++) {
      suffix[i * (nullMarker.length + 1)] = ',';
      System.arraycopy(nullMarker, 0, suffix, i * (nullMarker.length + 1) + 1, nullMarker.length);
    }
    InputStream in = new BufferedInputStream(csv, 1 << 16);
    OutputStream out = new BufferedOutputStream(padded, 1 << 16);
    byte[] buffer = new byte[1 << 16];
    boolean quoted = false;
    int n;
    while ((n = in.read(buffer)) > 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b == '"') {
          quoted = !quoted;
        } else if (b == '\n' && !quoted) {
          out.write(buffer, start, i - start);
          out.write(suffix);
          start = i;
        }
      }
      out.write(buffer, start, n - start);
    }
    out.flush();
  }
}
