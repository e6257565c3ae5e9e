package io.observes.pipeline.schema;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a stream's columns come from, as their warehouse comments say (the lineage contract of
 * DESIGN.md): a column's comment is the full path of its values from the root of the record the
 * source sent, or, for values that do not come from that record, {@code derived: } and what they are.
 *
 * <p>A source may shape the record it hands to the pipeline: take a sub-object as the stream's record
 * ({@link #at}), rename or reduce a field ({@link From}: the record's top-level field holds the value
 * at another path), or add a value of its own ({@link Derived}: from the request, a window, a
 * computation). The lineage records each of these, so the comment is right whatever the record's
 * shape, and no column ever claims a path its values did not come from.
 */
public record Lineage(SourcePath at, Map<String, Origin> fields) {
  /** How a derived column's comment starts. */
  public static final String DERIVED = "derived: ";
  /** The most bytes of a derived description: it must fit Redshift's 256-byte comment with its path. */
  public static final int MAX_DESCRIPTION_BYTES = 200;

  /** The records are the source's records as they are. */
  public static final Lineage AS_SENT = new Lineage(SourcePath.root(), Map.of());

  /** Where a top-level field of the stream's record comes from. */
  public sealed interface Origin permits From, Derived {}

  /** The field holds the value at {@code path} of the source record (its nested fields below it). */
  public record From(SourcePath path) implements Origin {
    public From {
      Objects.requireNonNull(path, "path");
      if (path.isRoot()) {
        throw new IllegalArgumentException("a field comes from a path of the record, not the record itself");
      }
    }
  }

  /** The field's values do not come from the record: {@code what} says what they are. */
  public record Derived(String what) implements Origin {
    public Derived {
      Objects.requireNonNull(what, "what");
      if (what.isBlank() || what.getBytes(StandardCharsets.UTF_8).length > MAX_DESCRIPTION_BYTES) {
        throw new IllegalArgumentException("a derived column says what it is in 1.." + MAX_DESCRIPTION_BYTES + " bytes: " + what);
      }
    }
  }

  public Lineage {
    Objects.requireNonNull(at, "at");
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** This lineage with the stream's record taken from {@code path} of the source record. */
  public Lineage at(SourcePath path) {
    return new Lineage(path, fields);
  }

  /** This lineage with the top-level field {@code field} from {@code origin}. */
  public Lineage with(String field, Origin origin) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(origin, "origin");
    Map<String, Origin> more = new LinkedHashMap<>(fields);
    more.put(field, origin);
    return new Lineage(at, more);
  }

  /**
   * The comment of the column holding {@code path} of the stream's record: the source path, or
   * {@code derived: ...}.
   */
  public String comment(SourcePath path) {
    Objects.requireNonNull(path, "path");
    Origin origin = path.isRoot() || path.step(0) == null ? null : fields.get(path.step(0));
    if (origin instanceof Derived derived) {
      return DERIVED + derived.what();
    }
    return origin instanceof From from ? append(from.path(), path, 1).toString() : append(at, path, 0).toString();
  }

  /** {@code base} followed by the steps of {@code path} from {@code first} on. */
  private static SourcePath append(SourcePath base, SourcePath path, int first) {
    SourcePath out = base;
    for (int i = first; i < path.length(); i++) {
      out = path.step(i) == null ? out.element() : out.field(path.step(i));
    }
    return out;
  }
}
