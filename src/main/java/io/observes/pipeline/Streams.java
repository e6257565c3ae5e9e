package io.observes.pipeline;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Lineage;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The streams a source declares. A stream it does not declare (the dynamo ETL finds entity types as
 * it scans) is replaced each run and has no declared types. {@code sharedTarget}: another source
 * publishes tables into the same schema, so it is updated in place (its own tables only), never
 * swapped whole. {@code retired}: tables the source wrote before and writes no more (a stream that
 * became a child table); an in-place publish drops them, so readers never take frozen rows for
 * current ones. {@code versioning}: every stream is merged and versioned (see {@link Versioning}).
 */
public record Streams(List<StreamSpec> specs, boolean sharedTarget, List<String> retired,
    Optional<Versioning> versioning) {
  /**
   * Streams applied as changes: each record's top-level {@code versionField} holds the source's write
   * time of the record (a whole number that grows with each write), and a record whose
   * {@code deletedField} is true is a deletion (it holds the key and the version only). Every stream,
   * declared or not, is then merged; a change replaces its row only when it is newer than what the
   * target holds, so overlapping or re-applied changes never take a row back in time.
   */
  public record Versioning(String versionField, String deletedField) {
    public Versioning {
      java.util.Objects.requireNonNull(versionField, "versionField");
      java.util.Objects.requireNonNull(deletedField, "deletedField");
    }
  }

  public Streams(List<StreamSpec> specs, boolean sharedTarget, List<String> retired) {
    this(specs, sharedTarget, retired, Optional.empty());
  }

  /** These streams applied as versioned changes (see {@link Versioning}). */
  public Streams versioned(String versionField, String deletedField) {
    return new Streams(specs, sharedTarget, retired, Optional.of(new Versioning(versionField, deletedField)));
  }

  /** The pipeline's own {@code _rejected} table: every column says what it holds. */
  private static final Lineage REJECTED = Lineage.AS_SENT
      .with("table_key", new Lineage.Derived("the stream and list path of the table the rejected value belongs to"))
      .with("row_id", new Lineage.Derived("the _observes_id of the row the rejected value belongs to"))
      .with("source_path", new Lineage.Derived("the source path of the rejected value in its record"))
      .with("reason", new Lineage.Derived("why the value could not be stored exactly"))
      .with("raw_value", new Lineage.Derived("the rejected value as lossless JSON text, or one part of it"))
      .with("raw_part", new Lineage.Derived("which part of the value raw_value holds, from 0"))
      .with("raw_parts", new Lineage.Derived("how many parts the value was split into"));

  public Streams(List<StreamSpec> specs) {
    this(specs, false, List.of());
  }

  /** Streams published into a schema other sources publish into too. */
  public static Streams sharingTarget(List<StreamSpec> specs) {
    return new Streams(specs, true, List.of());
  }

  /** These streams, with {@code tables} the source no longer writes (dropped by an in-place publish). */
  public Streams retiring(String... tables) {
    return new Streams(specs, sharedTarget, List.of(tables), versioning);
  }

  public Streams {
    specs = List.copyOf(specs);
    retired = List.copyOf(retired);
    java.util.Objects.requireNonNull(versioning, "versioning");
    for (String table : retired) {
      if (specs.stream().anyMatch(s -> s.name().equals(table)) || table.equals(Schema.REJECTED_TABLE)) {
        throw new IllegalArgumentException("table " + table + " is retired, so no stream may be called so");
      }
    }
    if (specs.stream().map(StreamSpec::name).distinct().count() != specs.size()) {
      throw new IllegalArgumentException("two streams share a name: " + specs.stream().map(StreamSpec::name).toList());
    }
    if (specs.stream().anyMatch(s -> s.name().equals(Schema.REJECTED_TABLE))) {
      throw new IllegalArgumentException(Schema.REJECTED_TABLE + " is the rejected-values table; no stream may be called so");
    }
  }

  /** Every stream undeclared: replaced, no declared types. */
  public static Streams undeclared() {
    return new Streams(List.of());
  }

  public Optional<StreamSpec> spec(String stream) {
    return specs.stream().filter(s -> s.name().equals(stream)).findFirst();
  }

  public WriteMode mode(String stream) {
    return spec(stream).map(StreamSpec::mode).orElse(versioning.isPresent() ? WriteMode.MERGE : WriteMode.REPLACE);
  }

  /** True when some stream is merged: the target is then updated in place, never swapped. */
  public boolean anyMerged() {
    return specs.stream().anyMatch(s -> s.mode() == WriteMode.MERGE);
  }

  /** Whether the target is updated in place (merged streams, or a schema shared with other sources). */
  public boolean inPlace() {
    return sharedTarget || anyMerged() || versioning.isPresent();
  }

  /**
   * The comment of the column holding {@code path} in {@code table}: its source path from the
   * record root, or {@code derived: ...} (see {@link Lineage}); a stream not declared is as sent.
   */
  public String comment(TableKey table, SourcePath path) {
    if (table.stream().equals(Schema.REJECTED_TABLE)) {
      return REJECTED.comment(path);
    }
    Lineage lineage = spec(table.stream()).map(StreamSpec::lineage).orElse(Lineage.AS_SENT);
    if (versioning.isPresent() && table.isRoot()) {
      lineage = lineage.with(versioning.get().versionField(), new Lineage.Derived("the source's write time of the record "
          + "(its version: a change applies only when newer)"))
          .with(versioning.get().deletedField(), new Lineage.Derived("whether the change is a deletion (staging only)"));
    }
    return lineage.comment(path);
  }

  /** The declared types by table: a path's table is the list it sits in, or the stream's root. */
  public Map<TableKey, Map<SourcePath, ColumnType>> declaredTypes() {
    Map<TableKey, Map<SourcePath, ColumnType>> byTable = new LinkedHashMap<>();
    for (StreamSpec spec : specs) {
      byTable.computeIfAbsent(TableKey.root(spec.name()), k -> new LinkedHashMap<>());
      spec.declared().forEach((path, type) -> {
        SourcePath list = path.endsWithElement() ? path : path.enclosingElement();
        TableKey table = list.isRoot() ? TableKey.root(spec.name()) : new TableKey(spec.name(), list);
        byTable.computeIfAbsent(table, k -> new LinkedHashMap<>()).put(path, type);
      });
    }
    return byTable;
  }
}
