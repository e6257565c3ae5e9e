package io.observes.pipeline.encode;

import io.observes.pipeline.schema.Kind;
import java.math.BigDecimal;

/**
 * A value checked and turned into the text staged for it: its UTF-8 bytes, its kind and, for exact
 * numbers, the number (for statistics). A value that cannot be stored exactly has a rejection reason
 * instead.
 */
public record Encoded(byte[] utf8, Kind kind, BigDecimal number, String rejection) {
  public static Encoded rejected(String reason) {
    return new Encoded(null, null, null, reason);
  }

  public boolean isRejected() {
    return rejection != null;
  }
}
