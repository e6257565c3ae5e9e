package io.observes.pipeline.schema;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules names are built by for the warehouse at hand: the most bytes of an identifier it keeps
 * (PostgreSQL cuts identifiers silently at 63 bytes, Redshift at 127), and the column names it
 * reserves for itself (system columns such as {@code xmin}, which even quoting cannot use). Names are
 * built within these rules, so the warehouse never shortens or refuses one.
 */
public record Naming(int maxBytes, Set<String> reservedColumns) {
  /** Hash suffix {@code _xxxxxxxx} plus at least a few readable characters. */
  private static final int MIN_BYTES = 16;

  /** Redshift's rules: 127 bytes, and the system columns of PostgreSQL and Redshift. */
  public static final Naming REDSHIFT = new Naming(127,
      Set.of("oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid", "insertxid", "deletexid"));

  public Naming {
    if (maxBytes < MIN_BYTES || maxBytes > Identifiers.MAX_BYTES) {
      throw new IllegalArgumentException("identifiers must be allowed " + MIN_BYTES + ".." + Identifiers.MAX_BYTES
          + " bytes, was " + maxBytes);
    }
    TreeSet<String> lower = new TreeSet<>();
    Objects.requireNonNull(reservedColumns, "reservedColumns").forEach(c -> lower.add(c.toLowerCase(Locale.ROOT)));
    reservedColumns = Set.copyOf(lower);
  }

  /** {@code name} if it fits, else cut and suffixed with the hash of {@code source}. */
  public String fit(String name, String source) {
    return name.length() <= maxBytes ? name : withSuffix(name, source);
  }

  /** {@code base} cut to fit, followed by {@code _} and 8 hex digits of the hash of {@code source}. */
  public String withSuffix(String base, String source) {
    return Identifiers.withSuffix(base, source, maxBytes);
  }

  /** Whether a name can stand for a data column as it is. */
  boolean columnAllowed(String name) {
    return name.length() <= maxBytes && !reservedColumns.contains(name);
  }
}
