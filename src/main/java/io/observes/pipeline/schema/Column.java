package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;
import java.util.Objects;

/**
 * A data column: the source path of its values, its warehouse name and type, and whether the
 * source declares that type. A declared column keeps its type and rejects (to {@code _rejected})
 * a value that does not fit; an inferred one widens to hold what arrives.
 */
public record Column(SourcePath path, String name, ColumnType type, boolean declared) {
  public Column {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** An inferred column. */
  public Column(SourcePath path, String name, ColumnType type) {
    this(path, name, type, false);
  }
}
