package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;

/**
 * What inference records about one column: kinds seen, max UTF-8 bytes of the staged text, digits
 * before and after the point of exact numbers, the narrowest integer type that holds them all, and
 * how many non-null values there were. Mergeable in any order; {@link #type()} maps it onto the
 * lattice.
 */
public final class ColumnStats {
  private static final BigDecimal SHORT_MIN = BigDecimal.valueOf(Short.MIN_VALUE);
  private static final BigDecimal SHORT_MAX = BigDecimal.valueOf(Short.MAX_VALUE);
  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private final EnumSet<Kind> kinds;
  private long values;
  private int maxBytes;
  private int intDigits;
  private int scale;
  /** 0 none, 1 SMALLINT, 2 INTEGER, 3 BIGINT, 4 wider. */
  private int integerRank;

  public ColumnStats() {
    this(EnumSet.noneOf(Kind.class), 0, 0, 0, 0, 0);
  }

  @JsonCreator
  public ColumnStats(
      @JsonProperty("kinds") Set<Kind> kinds,
      @JsonProperty("values") long values,
      @JsonProperty("maxBytes") int maxBytes,
      @JsonProperty("intDigits") int intDigits,
      @JsonProperty("scale") int scale,
      @JsonProperty("integerRank") int integerRank) {
    this.kinds = kinds == null || kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
    this.values = values;
    this.maxBytes = maxBytes;
    this.intDigits = intDigits;
    this.scale = scale;
    this.integerRank = integerRank;
  }

  /** Records one non-null value: its kind, the bytes of its staged text, and its number if exact. */
  public void observe(Kind kind, int bytes, BigDecimal number) {
    kinds.add(kind);
    values++;
    maxBytes = Math.max(maxBytes, bytes);
    if (number != null) {
      // In long, saturated at int: precision - scale of 1e2147483647 is 2^31. Such a number is
      // staged as text, but the counts must still say it is beyond every NUMERIC.
      long s = number.scale();
      long digits = Math.max(number.precision() - s, 0);
      scale = Math.max(scale, saturated(Math.max(s, 0)));
      intDigits = Math.max(intDigits, saturated(digits));
      if (kind == Kind.INTEGER) {
        integerRank = Math.max(integerRank, digits > 19 ? 4 : rankOf(number));
      }
    }
  }

  private static int saturated(long n) {
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  private static int rankOf(BigDecimal n) {
    if (n.compareTo(SHORT_MIN) >= 0 && n.compareTo(SHORT_MAX) <= 0) {
      return 1;
    }
    if (n.compareTo(INT_MIN) >= 0 && n.compareTo(INT_MAX) <= 0) {
      return 2;
    }
    if (n.compareTo(LONG_MIN) >= 0 && n.compareTo(LONG_MAX) <= 0) {
      return 3;
    }
    return 4;
  }

  public ColumnStats merge(ColumnStats other) {
    kinds.addAll(other.kinds);
    values += other.values;
    maxBytes = Math.max(maxBytes, other.maxBytes);
    intDigits = Math.max(intDigits, other.intDigits);
    scale = Math.max(scale, other.scale);
    integerRank = Math.max(integerRank, other.integerRank);
    return this;
  }

  public ColumnStats copy() {
    return new ColumnStats(kinds, values, maxBytes, intDigits, scale, integerRank);
  }

  /** The narrowest type holding every value seen; VARCHAR sizes rounded up. */
  public ColumnType type() {
    return type(true);
  }

  /** As {@link #type()}, with VARCHAR sized exactly. */
  public ColumnType exactType() {
    return type(false);
  }

  /**
   * Whether every value seen can be stored in a column of type {@code column} unchanged, judged by
   * what the values are, not by the abstract width of their types: text (every kind is staged as its
   * text) by its UTF-8 bytes; whole numbers by their digits and range, so {@code 1} fits NUMERIC(2,1)
   * although SMALLINT does not; decimals by integer digits and scale; the rest by their kind.
   */
  public boolean fitsIn(ColumnType column) {
    return misfit(column) == null;
  }

  /** Why the values seen do not all fit {@code column} (what was found), or null if they do. */
  public String misfit(ColumnType column) {
    if (kinds.isEmpty()) {
      return null;
    }
    if (column.family() == ColumnType.Family.VARCHAR || column.family() == ColumnType.Family.UNKNOWN) {
      int room = column.family() == ColumnType.Family.VARCHAR ? column.length() : ColumnType.UNKNOWN_TEXT_BYTES;
      return maxBytes <= room ? null : "values of up to " + maxBytes + " UTF-8 bytes (" + describe() + ")";
    }
    for (Kind kind : kinds) {
      if (!kindFits(kind, column)) {
        return describe();
      }
    }
    return null;
  }

  private boolean kindFits(Kind kind, ColumnType column) {
    return switch (kind) {
      case BOOLEAN -> column.family() == ColumnType.Family.BOOLEAN;
      case FLOAT -> column.family() == ColumnType.Family.DOUBLE;
      case TIMESTAMP -> column.family() == ColumnType.Family.TIMESTAMPTZ;
      case TEXT -> false;
      case INTEGER -> switch (column.family()) {
        case SMALLINT -> integerRank <= 1;
        case INTEGER -> integerRank <= 2;
        case BIGINT -> integerRank <= 3;
        case NUMERIC -> intDigits <= column.precision() - column.scale();
        default -> false;
      };
      case DECIMAL -> column.family() == ColumnType.Family.NUMERIC
          && intDigits <= column.precision() - column.scale() && scale <= column.scale();
    };
  }

  /** The values seen, in words: kinds, digits, scale and bytes. */
  public String describe() {
    StringBuilder text = new StringBuilder(values + " values of kind " + kinds);
    if (kinds.contains(Kind.INTEGER) || kinds.contains(Kind.DECIMAL)) {
      text.append(", up to ").append(intDigits).append(" integer digits, scale ").append(scale);
    }
    return text.append(", up to ").append(maxBytes).append(" bytes as text").toString();
  }

  private ColumnType type(boolean roundText) {
    if (kinds.isEmpty()) {
      return ColumnType.UNKNOWN;
    }
    if (kinds.size() == 1) {
      Kind only = kinds.iterator().next();
      switch (only) {
        case BOOLEAN:
          return ColumnType.BOOLEAN;
        case TIMESTAMP:
          return ColumnType.TIMESTAMPTZ;
        case FLOAT:
          return ColumnType.DOUBLE;
        case INTEGER:
          ColumnType integer = integerType();
          if (integer != null) {
            return integer;
          }
          break;
        default:
          break;
      }
    }
    if (EnumSet.of(Kind.INTEGER, Kind.DECIMAL).containsAll(kinds)) {
      long precision = Math.max((long) intDigits + scale, 1);
      if (precision <= ColumnType.MAX_PRECISION && scale <= ColumnType.MAX_SCALE) {
        return ColumnType.numeric((int) precision, scale);
      }
    }
    int bytes = Math.max(maxBytes, 1);
    return roundText ? ColumnType.varchar(bytes) : ColumnType.varcharExactly(bytes);
  }

  private ColumnType integerType() {
    return switch (integerRank) {
      case 1 -> ColumnType.SMALLINT;
      case 2 -> ColumnType.INTEGER;
      case 3 -> ColumnType.BIGINT;
      default -> intDigits <= ColumnType.MAX_PRECISION ? ColumnType.numeric(Math.max(intDigits, 1), 0) : null;
    };
  }

  @JsonProperty("kinds")
  public Set<Kind> kinds() {
    return EnumSet.copyOf(kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : kinds);
  }

  @JsonProperty("values")
  public long values() {
    return values;
  }

  @JsonProperty("maxBytes")
  public int maxBytes() {
    return maxBytes;
  }

  @JsonProperty("intDigits")
  public int intDigits() {
    return intDigits;
  }

  @JsonProperty("scale")
  public int scale() {
    return scale;
  }

  @JsonProperty("integerRank")
  public int integerRank() {
    return integerRank;
  }

  @Override
  public String toString() {
    return "ColumnStats" + kinds + " values=" + values + " maxBytes=" + maxBytes + " -> " + type();
  }
}
