package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.Json;
import java.util.List;

/**
 * The JSON form of a {@link Schema} as kept in the schema cache and pinned per run: names, source
 * paths and types together, under a format version.
 */
public record SchemaDocument(int format, List<TableDocument> tables) {
  public static final int FORMAT = 1;

  /** One table. */
  public record TableDocument(String stream, String path, String name, List<ColumnDocument> columns) {}

  /** One column; {@code declared} is absent (null) for inferred columns and in documents written before it existed. */
  public record ColumnDocument(String path, String name, String type, Boolean declared) {}

  public static byte[] write(Schema schema) {
    List<TableDocument> tables =
        schema.tables().stream()
            .map(t -> new TableDocument(
                t.key().stream(),
                t.key().path().toString(),
                t.name(),
                t.columns().stream()
                    .map(c -> new ColumnDocument(c.path().toString(), c.name(), c.type().toString(), c.declared() ? Boolean.TRUE : null))
                    .toList()))
            .toList();
    return Json.write(new SchemaDocument(FORMAT, tables));
  }

  public static Schema read(byte[] bytes, String where) {
    SchemaDocument doc = Json.read(bytes, SchemaDocument.class, where);
    if (doc.format() != FORMAT) {
      throw new IllegalStateException(
          where + " has schema format " + doc.format() + " but this version of Observes reads format " + FORMAT
              + ". Delete it and re-run schema determination.");
    }
    return new Schema(
        doc.tables().stream()
            .map(t -> new TableSchema(
                new TableKey(t.stream(), SourcePath.parse(t.path())),
                t.name(),
                t.columns().stream()
                    .map(c -> new Column(SourcePath.parse(c.path()), c.name(), ColumnType.parse(c.type()),
                        Boolean.TRUE.equals(c.declared())))
                    .toList()))
            .toList());
  }
}
