package io.observes.warehouse;

import io.observes.warehouse.ColumnType;

/**
 * Which type changes a merged target's column may take: only those where no value changes (text to
 * longer text, exact numbers to wider exact numbers or to text). How a change is made is the
 * dialect's ({@link MergeTransaction}); whether it may be made is decided here, once for both.
 */
final class Widening {
  private Widening() {}

  /** The type a column is created as: UNKNOWN (only nulls seen) is text. */
  static ColumnType created(ColumnType type) {
    return type.family() == ColumnType.Family.UNKNOWN ? ColumnType.varcharExactly(ColumnType.UNKNOWN_TEXT_BYTES) : type;
  }

  static boolean holdsUnchanged(ColumnType has, ColumnType wanted) {
    return has.equals(wanted) || keepsValues(wanted, has) && has.holds(wanted);
  }

  /** Text and text, or exact numbers and exact numbers: a value moves between them unchanged. */
  private static boolean sameKind(ColumnType a, ColumnType b) {
    return a.family() == b.family() || exact(a) && exact(b);
  }

  /**
   * Whether a value of {@code from} keeps its value in {@code to}: same kind, or an exact number
   * becoming text (its digits, with the scale's trailing zeros of a NUMERIC: the same number). A
   * float, timestamp or boolean would turn into whatever text this warehouse prints for it: refused.
   */
  static boolean keepsValues(ColumnType from, ColumnType to) {
    return sameKind(from, to) || exact(from) && to.family() == ColumnType.Family.VARCHAR;
  }

  private static boolean exact(ColumnType t) {
    return switch (t.family()) {
      case SMALLINT, INTEGER, BIGINT, NUMERIC -> true;
      default -> false;
    };
  }
}
