package io.observes.pipeline.stage;

import java.nio.charset.StandardCharsets;

/**
 * The staged file format, shared by the writer and both warehouse dialects' COPY: RFC 4180 CSV,
 * UTF-8, no header, every non-null value quoted, NULL written as the unquoted marker. A value equal
 * to the marker's text is quoted and so stays text.
 */
public final class CsvFormat {
  public static final String NULL_MARKER = "\\N";
  static final byte[] NULL_MARKER_BYTES = NULL_MARKER.getBytes(StandardCharsets.US_ASCII);

  private CsvFormat() {}
}
