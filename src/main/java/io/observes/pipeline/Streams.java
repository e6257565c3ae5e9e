package io.observes.pipeline;

import io.observes.pipeline.schema.ColumnType;
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
 * swapped whole.
 */
public record Streams(List<StreamSpec> specs, boolean sharedTarget) {
  public Streams(List<StreamSpec> specs) {
    this(specs, false);
  }

  /** Streams published into a schema other sources publish into too. */
  public static Streams sharingTarget(List<StreamSpec> specs) {
    return new Streams(specs, true);
  }

  public Streams {
    specs = List.copyOf(specs);
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
    return spec(stream).map(StreamSpec::mode).orElse(WriteMode.REPLACE);
  }

  /** True when some stream is merged: the target is then updated in place, never swapped. */
  public boolean anyMerged() {
    return specs.stream().anyMatch(s -> s.mode() == WriteMode.MERGE);
  }

  /** Whether the target is updated in place (merged streams, or a schema shared with other sources). */
  public boolean inPlace() {
    return sharedTarget || anyMerged();
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
