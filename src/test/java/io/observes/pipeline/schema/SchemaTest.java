package io.observes.pipeline.schema;

import io.observes.warehouse.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SchemaTest {
  private static final TableKey ROOT = TableKey.root("items");

  private static SourcePath path(String... steps) {
    SourcePath p = SourcePath.root();
    for (String s : steps) {
      p = s == null ? p.element() : p.field(s);
    }
    return p;
  }

  private static ColumnStats ints(long... values) {
    ColumnStats s = new ColumnStats();
    for (long v : values) {
      s.observe(Kind.INTEGER, Long.toString(v).length(), BigDecimal.valueOf(v));
    }
    return s;
  }

  private static ColumnStats texts(int bytes) {
    ColumnStats s = new ColumnStats();
    s.observe(Kind.TEXT, bytes, null);
    return s;
  }

  /** A single root table with the given columns, each holding small integers. */
  private static Map<TableKey, Map<SourcePath, ColumnStats>> rootColumns(SourcePath... paths) {
    Map<SourcePath, ColumnStats> columns = new LinkedHashMap<>();
    for (SourcePath p : paths) {
      columns.put(p, ints(1));
    }
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    observed.put(ROOT, columns);
    return observed;
  }

  private static Map<SourcePath, String> names(Schema schema, TableKey key) {
    Map<SourcePath, String> names = new LinkedHashMap<>();
    schema.require(key).columns().forEach(c -> names.put(c.path(), c.name()));
    return names;
  }

  @Test
  void namesAreLowerCaseIdentifiersAndReservedWordsKeepTheirName() {
    Schema schema = Schema.empty().widen(rootColumns(
        path("select"), path("user"), path("order"), path("Group"), path("first name"), path("a", "b"),
        path("名前"), path("x\"; DROP TABLE y; --")));
    Map<SourcePath, String> names = names(schema, ROOT);
    assertThat(names.values()).allSatisfy(n -> assertThat(n).matches("[a-z0-9_]{1,127}"));
    assertThat(names.get(path("select"))).isEqualTo("select");
    assertThat(names.get(path("user"))).isEqualTo("user");
    assertThat(names.get(path("order"))).isEqualTo("order");
    assertThat(names.get(path("Group"))).isEqualTo("group");
    assertThat(names.get(path("first name"))).isEqualTo("first_name");
    assertThat(names.get(path("a", "b"))).isEqualTo("a__b");
    assertThat(names.get(path("x\"; DROP TABLE y; --"))).doesNotContain("\"", ";", " ", "-");
    assertThat(Set.copyOf(names.values())).hasSize(names.size());
    assertThat(schema.require(ROOT).name()).isEqualTo("items");
  }

  @Test
  void bookkeepingNamesAreReserved() {
    Schema schema = Schema.empty().widen(rootColumns(
        path("_observes_id"), path("_parent_id"), path("_root_id"), path("_index"), path("id")));
    Map<SourcePath, String> names = names(schema, ROOT);
    for (Bookkeeping b : Bookkeeping.values()) {
      assertThat(names.get(path(b.column()))).matches(b.column() + "_[0-9a-f]{8}");
    }
    assertThat(names.get(path("id"))).isEqualTo("id");
  }

  @Test
  void theCleanNameWinsACollisionWhateverTheOrder() {
    List<SourcePath> paths = new ArrayList<>(List.of(path("Name"), path("name"), path("NAME"), path("na-me")));
    Map<SourcePath, String> first = null;
    for (int round = 0; round < 6; round++) {
      Collections.rotate(paths, 1);
      if (round % 2 == 1) {
        Collections.reverse(paths);
      }
      Map<SourcePath, String> names = names(Schema.empty().widen(rootColumns(paths.toArray(SourcePath[]::new))), ROOT);
      assertThat(names.get(path("name"))).isEqualTo("name");
      assertThat(names.get(path("Name"))).matches("name_[0-9a-f]{8}");
      assertThat(names.get(path("NAME"))).matches("name_[0-9a-f]{8}");
      assertThat(names.get(path("na-me"))).matches("na_me");
      assertThat(Set.copyOf(names.values())).hasSize(4);
      if (first == null) {
        first = names;
      } else {
        assertThat(new TreeMap<>(names)).isEqualTo(new TreeMap<>(first));
      }
    }
  }

  @Test
  void longNamesAreCutWithAStableSuffix() {
    String longField = "very_long_field_name_".repeat(10); // 210 characters
    SourcePath a = path(longField + "a");
    SourcePath b = path(longField + "b");
    Schema schema = Schema.empty().widen(rootColumns(a, b));
    Map<SourcePath, String> names = names(schema, ROOT);
    assertThat(names.get(a).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(127);
    assertThat(names.get(b).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(127);
    assertThat(names.get(a)).isNotEqualTo(names.get(b)).matches("[a-z0-9_]+_[0-9a-f]{8}");
    assertThat(names(Schema.empty().widen(rootColumns(b, a)), ROOT)).isEqualTo(names);

    String longStream = "s".repeat(200);
    Schema longTable = Schema.empty().widen(Map.of(TableKey.root(longStream), Map.of(path("x"), ints(1))));
    assertThat(longTable.require(TableKey.root(longStream)).name().length()).isLessThanOrEqualTo(127);
  }

  @Test
  void widenIsIdempotent() {
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>(rootColumns(path("id"), path("Name"), path("name")));
    observed.put(new TableKey("items", path("tags", null)), Map.of(path("tags", null), texts(10)));
    Schema once = Schema.empty().widen(observed);
    Schema twice = once.widen(observed);
    assertThat(twice).isEqualTo(once);
    assertThat(twice.fingerprint()).isEqualTo(once.fingerprint());
    assertThat(Schema.empty().widen(observed).fingerprint()).isEqualTo(once.fingerprint());
    assertThat(once.fingerprint()).matches("[0-9a-f]{16}");
  }

  @Test
  void fingerprintChangesWithTypesAndNames() {
    Schema a = Schema.empty().widen(Map.of(ROOT, Map.of(path("n"), ints(1))));
    Schema b = Schema.empty().widen(Map.of(ROOT, Map.of(path("n"), ints(100000))));
    Schema c = Schema.empty().widen(Map.of(ROOT, Map.of(path("m"), ints(1))));
    assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint());
  }

  @Test
  void existingNamesNeverChangeAndTypesOnlyWiden() {
    Schema first = Schema.empty().widen(Map.of(ROOT, Map.of(path("Name"), ints(1), path("count"), ints(5))));
    assertThat(names(first, ROOT)).containsEntry(path("Name"), "name");

    Map<SourcePath, ColumnStats> later = new LinkedHashMap<>();
    later.put(path("name"), ints(1));
    later.put(path("count"), ints(70000));
    later.put(path("Name"), texts(3));
    later.put(path("aaa"), ints(1));
    Schema second = first.widen(Map.of(ROOT, later));
    Map<SourcePath, String> names = names(second, ROOT);
    assertThat(names).containsEntry(path("Name"), "name").containsEntry(path("count"), "count");
    assertThat(names.get(path("name"))).matches("name_[0-9a-f]{8}");
    assertThat(names.get(path("aaa"))).isEqualTo("aaa");
    // Known columns keep their position; new ones come after.
    assertThat(second.require(ROOT).columns().subList(0, 2))
        .extracting(Column::name).containsExactlyElementsOf(
            first.require(ROOT).columns().stream().map(Column::name).toList());
    TableSchema t = second.require(ROOT);
    assertThat(t.column(path("count")).orElseThrow().type()).isEqualTo(ColumnType.INTEGER);
    assertThat(t.column(path("Name")).orElseThrow().type().family()).isEqualTo(ColumnType.Family.VARCHAR);

    // Observing narrower values later never narrows.
    Schema third = second.widen(Map.of(ROOT, Map.of(path("count"), ints(1))));
    assertThat(third.require(ROOT).column(path("count")).orElseThrow().type()).isEqualTo(ColumnType.INTEGER);
  }

  @Test
  void childTablesAreNamedAfterParentAndField() {
    TableKey findings = new TableKey("items", path("findings", null));
    TableKey urls = new TableKey("items", path("findings", null, "evidence", "urls", null));
    TableKey tags = new TableKey("items", path("tags", null));
    TableKey matrix = new TableKey("items", path("matrix", null, null));
    Map<TableKey, Map<SourcePath, ColumnStats>> observed = new LinkedHashMap<>();
    observed.put(urls, Map.of(path("findings", null, "evidence", "urls", null), texts(20)));
    observed.put(tags, Map.of(path("tags", null), texts(5)));
    observed.put(matrix, Map.of(path("matrix", null, null), ints(1)));
    observed.put(findings, Map.of(path("findings", null, "evidence", "url"), texts(30), path("findings", null, "Severity"), ints(3)));
    Schema schema = Schema.empty().widen(observed);

    assertThat(schema.require(findings).name()).isEqualTo("items__findings");
    assertThat(schema.require(urls).name()).isEqualTo("items__findings__evidence__urls");
    assertThat(schema.require(tags).name()).isEqualTo("items__tags");
    assertThat(schema.require(matrix).name()).isEqualTo("items__matrix__value");
    // Parents are created even when only their children were observed.
    assertThat(schema.require(ROOT).name()).isEqualTo("items");
    assertThat(schema.require(new TableKey("items", path("matrix", null))).name()).isEqualTo("items__matrix");

    assertThat(names(schema, findings)).containsEntry(path("findings", null, "evidence", "url"), "evidence__url")
        .containsEntry(path("findings", null, "Severity"), "severity");
    assertThat(names(schema, tags)).containsEntry(path("tags", null), "value");
    assertThat(names(schema, matrix)).containsEntry(path("matrix", null, null), "value");
    assertThat(schema.require(tags).bookkeeping()).containsExactly(Bookkeeping.values());
    assertThat(schema.require(ROOT).bookkeeping()).containsExactly(Bookkeeping.OBSERVES_ID);

    Set<String> tableNames = schema.tables().stream().map(TableSchema::name).collect(Collectors.toSet());
    assertThat(tableNames).hasSize(schema.tables().size());
  }

  @Test
  void reservedTableNamesAreNotTakenBySources() {
    Schema schema = Schema.empty().widen(Map.of(
        TableKey.root("_observes_loads"), Map.of(path("x"), ints(1)),
        TableKey.root("_Rejected"), Map.of(path("x"), ints(1))));
    assertThat(schema.require(TableKey.root("_observes_loads")).name()).matches("_observes_loads_[0-9a-f]{8}");
    assertThat(schema.require(TableKey.root("_Rejected")).name()).matches("_rejected_[0-9a-f]{8}");
  }

  @Test
  void declaredTypesWinStayThroughWideningAndLapseWhenNoLongerDeclared() {
    Schema cached = Schema.empty().widen(Map.of(ROOT, Map.of(path("n"), texts(30), path("m"), ints(5))));
    Map<TableKey, Map<SourcePath, ColumnType>> declared = Map.of(ROOT, Map.of(path("n"), ColumnType.BIGINT,
        path("added"), ColumnType.TIMESTAMPTZ), TableKey.root("other"), Map.of(path("id"), ColumnType.BIGINT));

    Schema reconciled = cached.reconcile(declared, Naming.REDSHIFT);

    TableSchema items = reconciled.require(ROOT);
    assertThat(items.column(path("n")).orElseThrow()).satisfies(c -> {
      assertThat(c.type()).isEqualTo(ColumnType.BIGINT);
      assertThat(c.declared()).isTrue();
      assertThat(c.name()).isEqualTo("n");
    });
    assertThat(items.column(path("added")).orElseThrow().type()).isEqualTo(ColumnType.TIMESTAMPTZ);
    assertThat(items.column(path("m")).orElseThrow().declared()).isFalse();
    assertThat(reconciled.table(TableKey.root("other"))).isPresent();
    // Widening keeps a declared type: values that do not fit it are rejected, not widened for.
    Schema widened = reconciled.widen(Map.of(ROOT, Map.of(path("n"), texts(100), path("m"), texts(100))));
    assertThat(widened.require(ROOT).column(path("n")).orElseThrow().type()).isEqualTo(ColumnType.BIGINT);
    assertThat(widened.require(ROOT).column(path("m")).orElseThrow().type().family()).isEqualTo(ColumnType.Family.VARCHAR);
    // The declaration dropped: the column stays, inferred from now on.
    Schema lapsed = widened.reconcile(Map.of(), Naming.REDSHIFT);
    assertThat(lapsed.require(ROOT).column(path("n")).orElseThrow().declared()).isFalse();
    assertThat(SchemaDocument.read(SchemaDocument.write(reconciled), "test")).isEqualTo(reconciled);
    assertThat(reconciled.fingerprint()).isNotEqualTo(lapsed.fingerprint());
  }
}
