package io.observes.text;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer for output made of data (tables of runs, jobs, checks): everything written passes
 * {@link PrintableText#of}. Formatting writes each argument whole, so a sequence in a value is
 * removed whole; padding is computed before, so a row holding one is misaligned, which is all it
 * can do. Not for help or our own coloured errors, whose colours it would remove.
 */
public final class PrintableWriter extends PrintWriter {
  private PrintableWriter(Writer out) {
    super(out);
  }

  /** {@code out}, printing only printable text. */
  public static PrintWriter of(PrintWriter out) {
    return out instanceof PrintableWriter ? out : new PrintableWriter(out);
  }

  @Override
  public void write(String s, int off, int len) {
    String clean = PrintableText.of(s.substring(off, off + len));
    super.write(clean, 0, clean.length());
  }

  @Override
  public void write(char[] buf, int off, int len) {
    write(new String(buf, off, len), 0, len);
  }

  @Override
  public void write(int c) {
    write(String.valueOf((char) c), 0, 1);
  }
}
