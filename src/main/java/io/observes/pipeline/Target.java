package io.observes.pipeline;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a job refreshes: the ETL's name (its folder in the buckets and its name in the run log) and
 * the warehouse schema it publishes, loaded through {@code <schema>_loading} and kept one run back
 * as {@code <schema>_backup}.
 */
public record Target(String etl, String schema) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,100}");

  public Target {
    Objects.requireNonNull(etl, "etl");
    Objects.requireNonNull(schema, "schema");
    if (!NAME.matcher(etl).matches() || !NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "ETL and schema names must be lower-case letters, digits, '_' or '-', starting with a letter: " + etl + ", " + schema);
    }
  }

  public String staging() {
    return schema + "_loading";
  }

  public String backup() {
    return schema + "_backup";
  }
}
