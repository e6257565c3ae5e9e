package io.observes.pipeline.value;

import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A source value as a tree, independent of where it came from (JSON API, DynamoDB item, typed model).
 *
 * <p>Numbers keep their exact decimal value and their source text, so nothing is rounded on the way
 * to the warehouse; {@link Floating} exists only for sources that really hand out binary floats.
 */
public sealed interface Value
    permits Value.Text, Value.Numeric, Value.Floating, Value.Bool, Value.Null, Value.Binary, Value.Obj,
        Value.Array, Value.Invalid {

  /** A string. */
  record Text(String value) implements Value {
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * An exact number: its value and the text the source wrote it as. The value is null for a number
   * no BigDecimal holds (an exponent beyond +-2^31, as in {@code 1e-2147483648}): such a number is
   * only ever its text, which is kept, never rounded or refused.
   */
  record Numeric(BigDecimal value, String text) implements Value {
    /** A JSON number: an optional minus, digits, an optional fraction and exponent. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    public Numeric {
      Objects.requireNonNull(text, "text");
    }

    public static Numeric of(String text) {
      return new Numeric(new BigDecimal(text), text);
    }

    /**
     * The number a source wrote as {@code text} (JSON number syntax), exact; its value null when no
     * BigDecimal holds it. Parsed in less than quadratic time (Jackson's parser of long numbers), so
     * even a number of millions of digits costs little.
     */
    public static Numeric parse(String text) {
      try {
        return new Numeric(NumberInput.parseBigDecimal(text, true), text);
      } catch (NumberFormatException e) {
        if (JSON_NUMBER.matcher(text).matches()) {
          return new Numeric(null, text);
        }
        throw e;
      }
    }

    public static Numeric of(long value) {
      return new Numeric(BigDecimal.valueOf(value), Long.toString(value));
    }
  }

  /**
   * A value the source could not read exactly (bytes that are not UTF-8): never staged, it goes to
   * {@code _rejected} with the source's {@code reason}; {@code raw} is what was read, the damage
   * visible in it (see {@link SourceBytes}). The rest of its record loads.
   */
  record Invalid(Value raw, String reason) implements Value {
    public Invalid {
      Objects.requireNonNull(raw, "raw");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A binary floating-point number, only where the source says float. */
  record Floating(double value) implements Value {}

  /** A boolean. */
  record Bool(boolean value) implements Value {}

  /** An explicit null. */
  enum Null implements Value {
    INSTANCE
  }

  /** Bytes; staged as base64 text. */
  record Binary(byte[] bytes) implements Value {
    public Binary {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    public String base64() {
      return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Binary[" + base64() + "]";
    }
  }

  /** An object: named fields in source order. */
  record Obj(Map<String, Value> fields) implements Value {
    public Obj {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  /** A list, or a set when {@code set} is true (sets flatten like lists). */
  record Array(List<Value> items, boolean set) implements Value {
    public Array {
      items = List.copyOf(items);
    }

    public static Array list(List<Value> items) {
      return new Array(items, false);
    }
  }
}
