package io.observes.pipeline;

import io.observes.warehouse.Dialect;
import io.observes.warehouse.TargetLocks;
import io.observes.warehouse.Utf8Text;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a job refreshes: the ETL's name (its folder in the buckets and its name in the run log) and
 * the warehouse schema it publishes, loaded through {@code <schema>_loading} and kept one run back
 * as {@code <schema>_backup}.
 */
public record Target(String etl, String schema) {
  static final String STAGING = "_loading";
  static final String BACKUP = "_backup";
  private static final Pattern ETL = Pattern.compile("[a-z][a-z0-9_-]{0,100}");
  /**
   * Lower-case letters of any script (both warehouses take UTF-8 letters in identifiers), digits, '_'
   * and '-'. The length that matters is in bytes and depends on the warehouse: {@link #within}.
   */
  private static final Pattern SCHEMA = Pattern.compile("\\p{Ll}[\\p{Ll}0-9_-]{0,126}");

  public Target {
    Objects.requireNonNull(etl, "etl");
    Objects.requireNonNull(schema, "schema");
    if (!ETL.matcher(etl).matches() || !SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "ETL and schema names must be lower-case letters, digits, '_' or '-', starting with a letter: " + etl + ", " + schema);
    }
  }

  /**
   * This target, when every schema it makes fits {@code dialect}'s identifiers: the warehouse cuts a
   * longer name silently, so {@code <schema>_loading} could become another schema's name (and
   * phase2 drops the staging schema with CASCADE) or two targets one. Its lock table in
   * {@code observes_meta} needs no limit of its own: {@link TargetLocks} names it by a digest when
   * {@code lock_<schema>_loading} is too long. Refused with the maximum, before anything connects.
   */
  public Target within(Dialect dialect) {
    int limit = dialect.maxIdentifierBytes();
    int longest = Math.max(Utf8Text.bytes(STAGING), Utf8Text.bytes(BACKUP));
    for (String name : List.of(schema, staging(), backup(), TargetLocks.name(staging(), dialect))) {
      if (Utf8Text.bytes(name) > limit) {
        throw new IllegalArgumentException("the target schema '" + schema + "' (--target-schema) is " + Utf8Text.bytes(schema)
            + " bytes in UTF-8; it may be at most " + (limit - longest) + " bytes on " + dialect.name() + ", which keeps "
            + limit + " bytes of a name and cuts longer ones silently, and " + name + " must stay distinct");
      }
    }
    return this;
  }

  public String staging() {
    return schema + STAGING;
  }

  public String backup() {
    return schema + BACKUP;
  }
}
