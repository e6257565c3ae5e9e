package io.observes.warehouse;

import io.observes.pipeline.schema.Schema;

/** A dependency that runs back up, for {@code LayersTest} to show its rules catch one. Never used. */
public final class BackArrowSample {
  private BackArrowSample() {}

  static int tables(Schema schema) {
    return schema.tables().size();
  }
}
