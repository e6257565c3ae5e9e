package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;

/** The columns Observes adds to every table to link rows to each other and to their source. */
public enum Bookkeeping {
  OBSERVES_ID("_observes_id", "derived: row id, a hash of the source record's key (root rows) or of the parent id, list path and index."),
  PARENT_ID("_parent_id", "derived: the _observes_id of the row in the parent table that holds this list element."),
  ROOT_ID("_root_id", "derived: the _observes_id of the source record (root row) this element belongs to."),
  INDEX("_index", "derived: the position of this element in its list or set, from 0.");

  /** Row ids are 128-bit hashes in hex. */
  public static final int ID_LENGTH = 32;

  private final String column;
  private final String comment;

  Bookkeeping(String column, String comment) {
    this.column = column;
    this.comment = comment;
  }

  public String column() {
    return column;
  }

  public String comment() {
    return comment;
  }

  public ColumnType type() {
    return this == INDEX ? ColumnType.INTEGER : ColumnType.varcharExactly(ID_LENGTH);
  }
}
