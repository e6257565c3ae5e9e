package io.observes.pipeline;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Lineage;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stream a source declares: its name (its root table), how it is written, the top-level fields
 * that are its key ({@code _observes_id} is their hash, so the same record has the same id every
 * run), the types it declares for some paths (the others are inferred), and where its columns come
 * from ({@link Lineage}: every column's comment is its source path or says how it is derived).
 */
public record StreamSpec(String name, WriteMode mode, List<String> key, Map<SourcePath, ColumnType> declared,
    Lineage lineage) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  /** Beyond this many characters (or this exponent) a key number is not written in plain notation. */
  private static final int MAX_CANONICAL_KEY_CHARS = 1_000;

  public StreamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    key = List.copyOf(key);
    declared = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(declared));
    Objects.requireNonNull(lineage, "lineage");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a stream name is lower-case letters, digits and '_', starting with a letter: " + name);
    }
    if (mode == WriteMode.MERGE && key.isEmpty()) {
      throw new IllegalArgumentException("stream " + name + " is merged, so it needs a key: the fields that identify a record");
    }
  }

  /** A stream with no declared types yet; add them with {@link #typed}. */
  public static StreamSpec of(String name, WriteMode mode, String... key) {
    return new StreamSpec(name, mode, List.of(key), Map.of(), Lineage.AS_SENT);
  }

  /** This stream with {@code path} (e.g. {@code "job_id"}, {@code "labels[]"}) declared as {@code type}. */
  public StreamSpec typed(String path, ColumnType type) {
    Map<SourcePath, ColumnType> more = new LinkedHashMap<>(declared);
    more.put(SourcePath.parse(path), type);
    return new StreamSpec(name, mode, key, more, lineage);
  }

  /**
   * This stream with its records taken from the object at {@code sourcePath} of what the source
   * sent (e.g. {@code "apiCheckResult"}): its columns' comments start with that path.
   */
  public StreamSpec at(String sourcePath) {
    return new StreamSpec(name, mode, key, declared, lineage.at(SourcePath.parse(sourcePath)));
  }

  /**
   * This stream with its records' top-level {@code field} holding the value at {@code sourcePath}
   * of what the source sent: a legacy name ({@code "job_id"} from {@code "id"}) or a reduction
   * ({@code "pipe_id"} from {@code "pipeline.id"}).
   */
  public StreamSpec from(String field, String sourcePath) {
    return new StreamSpec(name, mode, key, declared, lineage.with(field, new Lineage.From(SourcePath.parse(sourcePath))));
  }

  /**
   * This stream with its records' top-level {@code field} not from the source record: {@code what}
   * says what it is (its comment is {@code derived: what}), e.g. "the project id of the request".
   */
  public StreamSpec derived(String field, String what) {
    return new StreamSpec(name, mode, key, declared, lineage.with(field, new Lineage.Derived(what)));
  }

  /**
   * A record of this stream from its value, keyed by the key fields' values (numbers in their
   * source text). A record without a key field cannot be merged: a clear error that names it.
   */
  public SourceRecord record(Value.Obj value) {
    List<String> keyValues = new ArrayList<>(key.size());
    for (String field : key) {
      Value v = value.fields().get(field);
      String text = null;
      if (v instanceof Value.Invalid i && i.raw() instanceof Value.Text t) {
        // A key the source sent bytes that are not UTF-8 for: its escaped text is still the same
        // every run, so the record keeps its id while the key field itself goes to _rejected.
        text = t.value();
      } else if (v instanceof Value.Text t) {
        text = t.value();
      } else if (v instanceof Value.Numeric n) {
        text = keyText(n);
      } else if (v instanceof Value.Bool b) {
        text = Boolean.toString(b.value());
      }
      if (text == null) {
        throw new IllegalStateException("a record of stream " + name + " has no usable key field '" + field + "' (found "
            + (v == null ? "nothing" : v.getClass().getSimpleName()) + "); its key is " + key + ". The source sent a record "
            + "the API documents otherwise; nothing was loaded from this run.");
      }
      keyValues.add(text);
    }
    return new SourceRecord(name, keyValues, value);
  }

  /**
   * A number as key text: the same for every way of writing one value ({@code 1.0}, {@code 1},
   * {@code 1E+0} are {@code 1}), in plain notation as long as that stays short; a number of an
   * extreme exponent ({@code 1e2147483647} has 2^31 digits) in scientific notation, and one no
   * BigDecimal holds, or of thousands of digits, as written.
   */
  static String keyText(Value.Numeric n) {
    if (n.value() == null || n.text().length() > MAX_CANONICAL_KEY_CHARS) {
      return n.text();
    }
    java.math.BigDecimal canonical = n.value().stripTrailingZeros();
    return Math.abs((long) canonical.scale()) <= MAX_CANONICAL_KEY_CHARS ? canonical.toPlainString() : canonical.toString();
  }
}
