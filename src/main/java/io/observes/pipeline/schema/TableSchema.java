package io.observes.pipeline.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table of a schema: its key, warehouse name and data columns. The bookkeeping columns
 * ({@link Bookkeeping}) are implied: every table has {@code _observes_id}, a child table also
 * {@code _parent_id}, {@code _root_id} and {@code _index}.
 */
public record TableSchema(TableKey key, String name, List<Column> columns) {
  public TableSchema {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
  }

  public Optional<Column> column(SourcePath path) {
    return columns.stream().filter(c -> c.path().equals(path)).findFirst();
  }

  public List<Bookkeeping> bookkeeping() {
    return key.isRoot() ? List.of(Bookkeeping.OBSERVES_ID) : List.of(Bookkeeping.values());
  }
}
