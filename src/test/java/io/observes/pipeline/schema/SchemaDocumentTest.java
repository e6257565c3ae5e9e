package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaDocumentTest {
  private static SourcePath path(String... steps) {
    SourcePath p = SourcePath.root();
    for (String s : steps) {
      p = s == null ? p.element() : p.field(s);
    }
    return p;
  }

  private static ColumnStats stats(Kind kind, int bytes, String number) {
    ColumnStats s = new ColumnStats();
    s.observe(kind, bytes, number == null ? null : new BigDecimal(number));
    return s;
  }

  private static Schema sample() {
    TableKey root = TableKey.root("Items");
    TableKey findings = new TableKey("Items", path("findings", null));
    TableKey matrix = new TableKey("Items", path("matrix", null, null));
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    Map<SourcePath, ColumnStats> rootCols = new LinkedHashMap<>();
    rootCols.put(path("id"), stats(Kind.INTEGER, 2, "12"));
    rootCols.put(path("Name"), stats(Kind.TEXT, 30, null));
    rootCols.put(path("name"), stats(Kind.TEXT, 3, null));
    rootCols.put(path("a.b", "c[0]"), stats(Kind.DECIMAL, 4, "1.50"));
    rootCols.put(path("back\\slash"), stats(Kind.BOOLEAN, 4, null));
    rootCols.put(path("when"), stats(Kind.TIMESTAMP, 20, null));
    rootCols.put(path("ratio"), stats(Kind.FLOAT, 5, null));
    rootCols.put(path("nothing"), new ColumnStats());
    rootCols.put(path("名前"), stats(Kind.TEXT, 9, null));
    observed.put(root, rootCols);
    observed.put(findings, Map.of(path("findings", null, "evidence", "url"), stats(Kind.TEXT, 100, null)));
    observed.put(matrix, Map.of(path("matrix", null, null), stats(Kind.INTEGER, 10, "4000000000")));
    return Schema.empty().widen(observed);
  }

  @Test
  void roundTripKeepsNamesPathsTypesAndFingerprint() {
    Schema schema = sample();
    byte[] written = SchemaDocument.write(schema);
    Schema read = SchemaDocument.read(written, "s3://cache/etl/schemas/items.json");
    assertThat(read).isEqualTo(schema);
    assertThat(read.fingerprint()).isEqualTo(schema.fingerprint());
    for (TableSchema table : schema.tables()) {
      TableSchema back = read.require(table.key());
      assertThat(back.name()).isEqualTo(table.name());
      assertThat(back.columns()).containsExactlyElementsOf(table.columns());
    }
    assertThat(read.require(TableKey.root("Items")).column(path("nothing")).orElseThrow().type())
        .isEqualTo(ColumnType.UNKNOWN);
    // Writing the read schema again gives the same bytes.
    assertThat(SchemaDocument.write(read)).isEqualTo(written);
    assertThat(new String(written, StandardCharsets.UTF_8)).contains("\"format\" : 1");
  }

  @Test
  void aWrongFormatFailsNamingTheLocation() {
    byte[] future = Json.write(new SchemaDocument(2, List.of()));
    assertThatThrownBy(() -> SchemaDocument.read(future, "s3://cache/etl/schemas/items.json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("s3://cache/etl/schemas/items.json")
        .hasMessageContaining("format 2");
  }

  @Test
  void notJsonFailsNamingTheLocation() {
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SchemaDocument.read(garbage, "s3://cache/etl/schemas/broken.json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("s3://cache/etl/schemas/broken.json");
  }
}
