package io.observes.pipeline.schema;

import java.util.Objects;

/** A data column: the source path of its values, its warehouse name and type. */
public record Column(SourcePath path, String name, ColumnType type) {
  public Column {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
