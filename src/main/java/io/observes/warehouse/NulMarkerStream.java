package io.observes.warehouse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Staged CSV written for Redshift ({@code NULL AS '\000'}) read as PostgreSQL's CSV with
 * {@code NULL '\N'}: every unquoted NUL byte (the whole of a NULL field; the stager writes every
 * value quoted and rejects text holding NUL) becomes the two bytes {@code \N}. A NUL inside a quoted
 * value means the file was not written by Observes' stager, and fails the read, naming the file,
 * rather than being loaded as something it is not.
 */
final class NulMarkerStream extends FilterInputStream {
  private final String file;
  private final byte[] in = new byte[1 << 15];
  private final byte[] out = new byte[2 << 15];
  private int outStart;
  private int outEnd;
  private boolean quoted;

  NulMarkerStream(InputStream csv, String file) {
    super(csv);
    this.file = file;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (outStart == outEnd) {
      int n = super.read(in, 0, in.length);
      if (n < 0) {
        return -1;
      }
      translate(n);
    }
    int n = Math.min(len, outEnd - outStart);
    System.arraycopy(out, outStart, b, off, n);
    outStart += n;
    return n;
  }

  private void translate(int n) throws IOException {
    int o = 0;
    for (int i = 0; i < n; i++) {
      byte c = in[i];
      if (c == '"') {
        // RFC 4180's "" inside a quoted value toggles twice: the state stays right.
        quoted = !quoted;
        out[o++] = c;
      } else if (c == 0) {
        if (quoted) {
          throw new IOException(file + " holds a NUL byte inside a quoted value: it was not staged by Observes "
              + "(Redshift's NULL marker is a field holding only NUL)");
        }
        out[o++] = '\\';
        out[o++] = 'N';
      } else {
        out[o++] = c;
      }
    }
    outStart = 0;
    outEnd = o;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping is not supported while translating NULL markers");
  }

  @Override
  public int available() {
    return outEnd - outStart;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
