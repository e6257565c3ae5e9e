package io.observes.warehouse;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A warehouse column type in the lattice of DESIGN.md §2. {@link #lub} is the least upper bound: it
 * never narrows, is commutative and associative, so schemas can be merged in any order.
 *
 * <p>{@code UNKNOWN} is the bottom (only nulls seen so far); it is created as VARCHAR but stays
 * UNKNOWN in the cache so that a later run's values decide the real type.
 */
public record ColumnType(Family family, int precision, int scale, int length) {
  /** Redshift's limits: NUMERIC precision 38, scale 37; VARCHAR 65535 bytes. */
  public static final int MAX_PRECISION = 38;

  public static final int MAX_SCALE = 37;
  public static final int MAX_VARCHAR = 65535;
  /** UNKNOWN columns (only nulls seen) are created as VARCHAR of this many bytes. */
  public static final int UNKNOWN_TEXT_BYTES = 16;
  private static final int MIN_VARCHAR = 16;
  private static final Pattern TEXT_FORM =
      Pattern.compile("([A-Z ]+)(?:\\((\\d+)(?:,(\\d+))?\\))?");

  public static final ColumnType UNKNOWN = new ColumnType(Family.UNKNOWN, 0, 0, 0);
  public static final ColumnType BOOLEAN = new ColumnType(Family.BOOLEAN, 0, 0, 0);
  public static final ColumnType SMALLINT = new ColumnType(Family.SMALLINT, 0, 0, 0);
  public static final ColumnType INTEGER = new ColumnType(Family.INTEGER, 0, 0, 0);
  public static final ColumnType BIGINT = new ColumnType(Family.BIGINT, 0, 0, 0);
  public static final ColumnType DOUBLE = new ColumnType(Family.DOUBLE, 0, 0, 0);
  public static final ColumnType TIMESTAMPTZ = new ColumnType(Family.TIMESTAMPTZ, 0, 0, 0);

  /** Type families, in no particular order: the lattice is in {@link #lub}. */
  public enum Family {
    UNKNOWN,
    BOOLEAN,
    SMALLINT,
    INTEGER,
    BIGINT,
    NUMERIC,
    DOUBLE,
    TIMESTAMPTZ,
    VARCHAR
  }

  public ColumnType {
    if (family == Family.NUMERIC
        && (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > MAX_SCALE || scale > precision)) {
      throw new IllegalArgumentException("NUMERIC(" + precision + "," + scale + ") is outside NUMERIC(1..38, 0..37)");
    }
    if (family == Family.VARCHAR && (length < 1 || length > MAX_VARCHAR)) {
      throw new IllegalArgumentException("VARCHAR(" + length + ") is outside VARCHAR(1..65535)");
    }
  }

  public static ColumnType numeric(int precision, int scale) {
    return new ColumnType(Family.NUMERIC, precision, scale, 0);
  }

  /** A VARCHAR holding {@code bytes} UTF-8 bytes, rounded up to a power of two (at most 65535). */
  public static ColumnType varchar(int bytes) {
    if (bytes > MAX_VARCHAR) {
      throw new IllegalArgumentException(bytes + " bytes exceed the VARCHAR limit of " + MAX_VARCHAR);
    }
    int rounded = MIN_VARCHAR;
    while (rounded < bytes) {
      rounded <<= 1;
    }
    return new ColumnType(Family.VARCHAR, 0, 0, Math.min(rounded, MAX_VARCHAR));
  }

  /** An exact VARCHAR(n), as a source may declare it. */
  public static ColumnType varcharExactly(int bytes) {
    return new ColumnType(Family.VARCHAR, 0, 0, bytes);
  }

  /** Exact numbers as (integer digits, scale); {@code null} for other families. */
  private int[] digits() {
    return switch (family) {
      case SMALLINT -> new int[] {5, 0};
      case INTEGER -> new int[] {10, 0};
      case BIGINT -> new int[] {19, 0};
      case NUMERIC -> new int[] {precision - scale, scale};
      default -> null;
    };
  }

  private boolean isInteger() {
    return family == Family.SMALLINT || family == Family.INTEGER || family == Family.BIGINT;
  }

  /** The most UTF-8 bytes a value of this type takes as text, for widening to VARCHAR. */
  int textBytes() {
    return switch (family) {
      case UNKNOWN -> 1;
      case BOOLEAN -> 5;
      case SMALLINT -> 6;
      case INTEGER -> 11;
      case BIGINT -> 20;
      // Not precision + 3: a join of two NUMERICs can be wider than both, which would make lub
      // depend on the order of merging once the result turns into VARCHAR.
      case NUMERIC -> MAX_PRECISION + 3;
      case DOUBLE -> 25;
      case TIMESTAMPTZ -> 40;
      case VARCHAR -> length;
    };
  }

  /** The least upper bound of two types. */
  public ColumnType lub(ColumnType other) {
    if (family == Family.UNKNOWN || equals(other)) {
      return other;
    }
    if (other.family == Family.UNKNOWN) {
      return this;
    }
    if (family == Family.VARCHAR || other.family == Family.VARCHAR) {
      return widestText(other);
    }
    if (family == other.family && family != Family.NUMERIC) {
      return this;
    }
    int[] a = digits();
    int[] b = other.digits();
    if (a != null && b != null) {
      if (isInteger() && other.isInteger()) {
        return family.ordinal() > other.family.ordinal() ? this : other;
      }
      int scale = Math.max(a[1], b[1]);
      int precision = Math.max(a[0], b[0]) + scale;
      return precision <= MAX_PRECISION ? numeric(precision, scale) : widestText(other);
    }
    // A float next to exact numbers: neither holds the other exactly, so both become text.
    return widestText(other);
  }

  /** No rounding here: max is associative, rounding is done once where stats become a type. */
  private ColumnType widestText(ColumnType other) {
    return varcharExactly(Math.max(textBytes(), other.textBytes()));
  }

  /** Whether every value of {@code other} fits this type unchanged. */
  public boolean holds(ColumnType other) {
    return lub(other).equals(this);
  }

  /** SQL text, also the form stored in the schema cache; UNKNOWN is written as such. */
  @Override
  public String toString() {
    return switch (family) {
      case NUMERIC -> "NUMERIC(" + precision + "," + scale + ")";
      case VARCHAR -> "VARCHAR(" + length + ")";
      case DOUBLE -> "DOUBLE PRECISION";
      default -> family.name();
    };
  }

  public static ColumnType parse(String text) {
    Matcher m = TEXT_FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("unknown column type: " + text);
    }
    String name = m.group(1).trim();
    boolean hasLength = m.group(2) != null;
    boolean hasScale = m.group(3) != null;
    try {
      switch (name) {
        case "NUMERIC":
          if (hasLength) {
            return numeric(Integer.parseInt(m.group(2)), hasScale ? Integer.parseInt(m.group(3)) : 0);
          }
          break;
        case "VARCHAR":
          if (hasLength && !hasScale) {
            return varcharExactly(Integer.parseInt(m.group(2)));
          }
          break;
        case "DOUBLE PRECISION":
          if (!hasLength) {
            return DOUBLE;
          }
          break;
        default:
          Family family = Family.valueOf(name);
          if (!hasLength && family != Family.NUMERIC && family != Family.VARCHAR && family != Family.DOUBLE) {
            return new ColumnType(family, 0, 0, 0);
          }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown column type: " + text + " (" + e.getMessage() + ")", e);
    }
    throw new IllegalArgumentException("unknown column type: " + text);
  }
}
