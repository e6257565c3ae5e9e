package io.observes.warehouse;

import io.observes.warehouse.ColumnType;
import java.util.List;
import java.util.Objects;

/** A table to create: name, comment (where its rows come from) and columns in order. */
public record TableDefinition(String name, String comment, List<ColumnDefinition> columns) {
  public TableDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(comment, "comment");
    columns = List.copyOf(columns);
  }

  /** A column: name, type and the comment that says where its values come from. */
  public record ColumnDefinition(String name, ColumnType type, String comment) {
    public ColumnDefinition {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(comment, "comment");
    }
  }
}
