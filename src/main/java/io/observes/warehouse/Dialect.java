package io.observes.warehouse;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * What the pipeline must know of the warehouse at hand to build names and files it takes exactly, as
 * Trino's JDBC clients expose their limits: the most bytes of an identifier it keeps (longer ones are
 * cut silently), the column names it reserves, the most columns of a table and bytes of a row it
 * loads, the most bytes of a comment, and the NULL marker of the staged CSV.
 *
 * <p>The staged CSV is RFC 4180, UTF-8, no header, every non-null value quoted, NULL written as the
 * unquoted {@link #nullMarker}. Each marker is one no accepted value can take: PostgreSQL treats only
 * an unquoted field equal to it as NULL, so a quoted {@code "\N"} stays text; Redshift documents
 * {@code NULL AS} as matching fields without an exception for quoted ones, so its marker is a field
 * holding only NUL ({@code NULL AS '\000'}), and text with a NUL is rejected before staging.
 * {@link #name} is recorded in every manifest, so a segment staged for one warehouse is never loaded
 * into the other.
 */
public record Dialect(String name, int maxIdentifierBytes, Set<String> systemColumns, int maxColumns, int maxRowBytes,
    int maxCommentBytes, String nullMarker) {
  /** Both warehouses: at most 1,600 columns per table (Redshift's and PostgreSQL's limit). */
  static final int MAX_COLUMNS = 1600;

  /** Redshift's COPY: "The maximum size of a single input row from any source is 4 MB." */
  static final int MAX_ROW_BYTES = 4 * 1024 * 1024;

  /** Columns every table has implicitly; no quoting makes these names usable for data. */
  private static final Set<String> POSTGRES_SYSTEM_COLUMNS = Set.of("oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid");

  public static final Dialect POSTGRESQL = new Dialect("postgresql", 63, POSTGRES_SYSTEM_COLUMNS, MAX_COLUMNS,
      // The stand-in loads what production loads: Redshift's row limit applies here too.
      MAX_ROW_BYTES, Integer.MAX_VALUE, "\\N");

  public static final Dialect REDSHIFT = new Dialect("redshift", 127,
      Set.of("oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid", "insertxid", "deletexid"), MAX_COLUMNS,
      // COMMENT's text is of type TEXT, which Redshift stores as VARCHAR(256).
      MAX_ROW_BYTES, 256, "\0");

  /**
   * Redshift's rules on PostgreSQL ({@link RedshiftClient#rehearsal}): the same in all but the
   * identifier length, which the database underneath cuts at 63 bytes, silently.
   */
  public static final Dialect REDSHIFT_REHEARSAL = new Dialect(REDSHIFT.name(), POSTGRESQL.maxIdentifierBytes(),
      REDSHIFT.systemColumns(), MAX_COLUMNS, MAX_ROW_BYTES, REDSHIFT.maxCommentBytes(), REDSHIFT.nullMarker());

  public Dialect {
    Objects.requireNonNull(name, "name");
    systemColumns = Set.copyOf(systemColumns);
    Objects.requireNonNull(nullMarker, "nullMarker");
  }

  public byte[] nullMarkerBytes() {
    return nullMarker.getBytes(StandardCharsets.UTF_8);
  }
}
