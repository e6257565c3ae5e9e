package io.observes.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names built for the warehouse at hand: PostgreSQL keeps 63 bytes of an identifier, Redshift 127. */
class NamingTest {
  static final Naming POSTGRES = new Naming(63, Set.of("oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid"));
  static final TableKey ROOT = TableKey.root("items");

  static ColumnStats one() {
    ColumnStats s = new ColumnStats();
    s.observe(Kind.INTEGER, 1, BigDecimal.ONE);
    return s;
  }

  static Map<TableKey, Map<SourcePath, ColumnStats>> columns(TableKey table, List<SourcePath> paths) {
    Map<SourcePath, ColumnStats> columns = new LinkedHashMap<>();
    paths.forEach(p -> columns.put(p, one()));
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    observed.put(table, columns);
    return observed;
  }

  /** The first 63 bytes of a name: what PostgreSQL would keep of it. */
  static String kept(String name, int bytes) {
    return name.length() <= bytes ? name : name.substring(0, bytes);
  }

  @Test
  void namesEqualInTheirFirst63BytesStayDistinctAfterShortening() {
    String stem = "long_attribute_name_".repeat(4);
    List<SourcePath> paths = new ArrayList<>();
    for (String tail : List.of("", "a", "b", "x".repeat(40), "y".repeat(40), "_" + "z".repeat(60))) {
      paths.add(SourcePath.root().field(stem + tail));
    }
    // Around every limit: 62, 63, 64, 126, 127, 128 bytes.
    for (int length : new int[] {62, 63, 64, 126, 127, 128}) {
      paths.add(SourcePath.root().field("n".repeat(length)));
      paths.add(SourcePath.root().field("n".repeat(length - 1) + "m"));
    }
    for (Naming naming : List.of(POSTGRES, Naming.REDSHIFT)) {
      Schema schema = Schema.empty().widen(columns(ROOT, paths), naming);
      List<String> names = schema.require(ROOT).columns().stream().map(Column::name).toList();
      assertThat(names).hasSize(paths.size()).allSatisfy(n -> assertThat(n.length()).isLessThanOrEqualTo(naming.maxBytes()));
      Set<String> asKept = new HashSet<>();
      names.forEach(n -> asKept.add(kept(n, naming.maxBytes())));
      assertThat(asKept).as("names as the warehouse keeps them").hasSize(paths.size());
      // Stable: the same paths in another order get the same names.
      List<SourcePath> shuffled = new ArrayList<>(paths);
      java.util.Collections.shuffle(shuffled, new Random(7));
      Schema again = Schema.empty().widen(columns(ROOT, shuffled), naming);
      for (SourcePath p : paths) {
        assertThat(again.require(ROOT).column(p).orElseThrow().name()).isEqualTo(schema.require(ROOT).column(p).orElseThrow().name());
      }
    }
  }

  @Test
  void longTableNamesFitAndChildTablesOfLongParentsToo() {
    String stream = "an_entity_type_with_a_rather_long_name_that_goes_on_and_on_past_the_limit";
    TableKey root = TableKey.root(stream);
    TableKey child = new TableKey(stream, SourcePath.root().field("x".repeat(70)).element());
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    observed.put(root, Map.of(SourcePath.root().field("a"), one()));
    observed.put(child, Map.of(child.path().field("b"), one()));
    Schema schema = Schema.empty().widen(observed, POSTGRES);
    assertThat(schema.tables()).extracting(TableSchema::name).allSatisfy(n -> assertThat(n.length()).isLessThanOrEqualTo(63))
        .doesNotHaveDuplicates();
  }

  @Test
  void systemColumnNamesAreNeverGivenToDataColumns() {
    List<SourcePath> paths = new ArrayList<>();
    for (String name : List.of("oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid", "XMIN", "insertxid", "name")) {
      paths.add(SourcePath.root().field(name));
    }
    Schema schema = Schema.empty().widen(columns(ROOT, paths), Naming.REDSHIFT);
    Map<String, String> byPath = new LinkedHashMap<>();
    schema.require(ROOT).columns().forEach(c -> byPath.put(c.path().toString(), c.name()));
    assertThat(byPath.values()).doesNotContain("oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid", "insertxid")
        .doesNotHaveDuplicates();
    assertThat(byPath.get("xmin")).matches("xmin_[0-9a-f]{8}");
    assertThat(byPath.get("name")).isEqualTo("name");
  }

  @Test
  void aSchemaCachedWithRedshiftNamesIsRenamedForPostgresqlOnlyWhereNeeded() {
    List<SourcePath> paths = List.of(SourcePath.root().field("short"), SourcePath.root().field("w".repeat(100)),
        SourcePath.root().field("w".repeat(99) + "v"));
    Schema redshift = Schema.empty().widen(columns(ROOT, paths), Naming.REDSHIFT);
    assertThat(redshift.require(ROOT).column(paths.get(1)).orElseThrow().name()).hasSize(100);

    Schema postgres = redshift.widen(Map.of(), POSTGRES);
    List<String> names = postgres.require(ROOT).columns().stream().map(Column::name).toList();
    assertThat(names).contains("short").allSatisfy(n -> assertThat(n.length()).isLessThanOrEqualTo(63));
    assertThat(new HashSet<>(names.stream().map(n -> kept(n, 63)).toList())).hasSize(3);
    // Types and paths survive the renaming.
    assertThat(postgres.require(ROOT).columns()).extracting(Column::path).containsExactlyElementsOf(paths);
    assertThat(postgres.widen(Map.of(), POSTGRES)).isEqualTo(postgres);
  }
}
