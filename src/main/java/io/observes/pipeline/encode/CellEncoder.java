package io.observes.pipeline.encode;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Kind;
import io.observes.pipeline.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;

/**
 * Checks a scalar value and gives the text it is staged as. The text is the same whatever column
 * type the value ends up in, so types can be decided after every segment is staged:
 * numbers in plain notation when NUMERIC(38) can hold them (else their exact source text, a text
 * as far as column types go),
 * booleans {@code true}/{@code false}, binary as base64, strings unchanged.
 *
 * <p>Rejected, never altered: text with a NUL character or an unpaired surrogate (PostgreSQL and
 * Redshift text cannot hold them), text (and numbers kept as text) over 65535 UTF-8 bytes, non-finite
 * and subnormal floats.
 */
public final class CellEncoder {
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  public Encoded encode(Value value) {
    if (value instanceof Value.Text t) {
      return text(t.value(), true);
    }
    if (value instanceof Value.Numeric n) {
      return numeric(n);
    }
    if (value instanceof Value.Bool b) {
      return new Encoded(b.value() ? TRUE : FALSE, Kind.BOOLEAN, null, null);
    }
    if (value instanceof Value.Floating f) {
      if (!Double.isFinite(f.value())) {
        return Encoded.rejected("the float " + f.value() + " is not a finite number, which the warehouse cannot store");
      }
      if (f.value() != 0 && Math.abs(f.value()) < Double.MIN_NORMAL) {
        // Redshift's DOUBLE PRECISION holds about 1E-307 to 1E+308 and refuses subnormal values.
        return Encoded.rejected("the float " + f.value() + " is subnormal (closer to 0 than " + Double.MIN_NORMAL
            + "), outside the range Redshift's DOUBLE PRECISION holds");
      }
      return new Encoded(Double.toString(f.value()).getBytes(StandardCharsets.US_ASCII), Kind.FLOAT, null, null);
    }
    if (value instanceof Value.Binary b) {
      return text(b.base64(), false);
    }
    if (value instanceof Value.Invalid i) {
      return Encoded.rejected(i.reason());
    }
    throw new IllegalArgumentException("not a scalar value: " + value.getClass().getSimpleName());
  }

  private static Encoded numeric(Value.Numeric n) {
    BigDecimal v = n.value();
    if (v != null && fitsNumeric(v)) {
      // Within NUMERIC(38, <=37): at most 38 digits, so the plain notation is short.
      String plain = (v.scale() < 0 ? v.setScale(0) : v).toPlainString();
      return new Encoded(plain.getBytes(StandardCharsets.US_ASCII), v.scale() <= 0 ? Kind.INTEGER : Kind.DECIMAL, v, null);
    }
    // Beyond NUMERIC(38) (or beyond BigDecimal): only text holds it, so it is exactly what the source
    // wrote, and a text to the column's statistics (its digits would only overflow their counts).
    byte[] text = n.text().getBytes(StandardCharsets.UTF_8);
    if (text.length > ColumnType.MAX_VARCHAR) {
      return Encoded.rejected("the number is " + text.length + " characters long, beyond NUMERIC(" + ColumnType.MAX_PRECISION
          + ") and beyond the " + ColumnType.MAX_VARCHAR + " bytes warehouse text holds");
    }
    return new Encoded(text, Kind.TEXT, null, null);
  }

  /**
   * Whether NUMERIC(38, <=37) holds {@code v} exactly, counted in long: {@code precision - scale}
   * of {@code 1e2147483647} is 2^31. The unscaled value's bits bound its digits first, so a number of
   * a million digits is never counted digit by digit.
   */
  static boolean fitsNumeric(BigDecimal v) {
    if (v.unscaledValue().bitLength() > 127) {
      return false; // at least 2^127 > 10^38: more than 38 digits
    }
    long scale = v.scale();
    long intDigits = Math.max(v.precision() - scale, 0);
    return intDigits + Math.max(scale, 0) <= ColumnType.MAX_PRECISION && scale <= ColumnType.MAX_SCALE;
  }

  private static Encoded text(String s, boolean mayBeTimestamp) {
    String problem = unrepresentable(s);
    if (problem != null) {
      return Encoded.rejected(problem);
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > ColumnType.MAX_VARCHAR) {
      return Encoded.rejected(
          "the text is " + utf8.length + " UTF-8 bytes; the warehouse holds at most " + ColumnType.MAX_VARCHAR);
    }
    Kind kind = mayBeTimestamp && isTimestamp(s) ? Kind.TIMESTAMP : Kind.TEXT;
    return new Encoded(utf8, kind, null, null);
  }

  /** Why the warehouse cannot hold this text exactly, or null. */
  static String unrepresentable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        return "the text contains a NUL character (U+0000) at position " + i + ", which warehouse text cannot hold";
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "the text has an unpaired UTF-16 surrogate at position " + i + ", which is not valid Unicode";
      }
    }
    return null;
  }

  static boolean isTimestamp(String s) {
    // Strict ISO-8601 with an offset and at most microseconds (both warehouses store it exactly):
    // yyyy-MM-ddTHH:mm:ss[.f{1,6}](Z|+hh:mm|-hh:mm), a real date and time, year >= 1, offset
    // within 14 hours. Checked by hand because staging asks it of every string; loose date strings
    // stay text.
    int n = s.length();
    if (n < 20 || n > 32 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return false;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return false;
    }
    int i = 19;
    if (s.charAt(i) == '.') {
      int fraction = i + 1;
      while (i + 1 < n && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '9') {
        i++;
      }
      int length = i - fraction + 1;
      if (length < 1 || length > 6) {
        return false;
      }
      i++;
    }
    if (i == n - 1) {
      return s.charAt(i) == 'Z';
    }
    if (i != n - 6 || (s.charAt(i) != '+' && s.charAt(i) != '-') || s.charAt(i + 3) != ':') {
      return false;
    }
    int offsetHours = digits(s, i + 1, 2);
    int offsetMinutes = digits(s, i + 4, 2);
    return offsetHours >= 0 && offsetMinutes >= 0 && offsetMinutes <= 59
        && offsetHours * 3600 + offsetMinutes * 60 <= 14 * 3600;
  }

  /** The number written by {@code count} ASCII digits at {@code from}, or -1 if they are not all digits. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

}
