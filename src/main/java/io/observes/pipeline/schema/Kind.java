package io.observes.pipeline.schema;

/** What a single value looks like, before the column type is decided from all of them. */
public enum Kind {
  BOOLEAN,
  /** An exact number with no fractional digits. */
  INTEGER,
  /** An exact number with fractional digits, or too large for NUMERIC(38). */
  DECIMAL,
  /** A binary float, only where the source says so. */
  FLOAT,
  /** A string that is strict ISO-8601 with an offset. */
  TIMESTAMP,
  /** Any other string, binary (base64) or JSON text. */
  TEXT
}
