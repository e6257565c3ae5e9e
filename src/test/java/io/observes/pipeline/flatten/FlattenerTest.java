package io.observes.pipeline.flatten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlattenerTest {
  private static SourceRecord record(String stream, List<String> key, String json) {
    return new SourceRecord(stream, key, (Value.Obj) JsonValues.parse(json));
  }

  private static List<FlatRow> flatten(int maxDepth, SourceRecord record) {
    List<FlatRow> rows = new ArrayList<>();
    new Flattener(maxDepth).flatten(record, rows::add);
    return rows;
  }

  private static List<FlatRow> flatten(SourceRecord record) {
    return flatten(10, record);
  }

  private static Map<String, Value> cells(FlatRow row) {
    Map<String, Value> cells = new LinkedHashMap<>();
    row.cells().forEach(c -> cells.put(c.path().toString(), c.value()));
    return cells;
  }

  private static List<FlatRow> rowsOf(List<FlatRow> rows, String tablePath) {
    return rows.stream().filter(r -> r.table().path().toString().equals(tablePath)).toList();
  }

  @Test
  void nestedObjectsMergeIntoTheRootRow() {
    List<FlatRow> rows = flatten(record("items", List.of("k1"),
        "{\"id\": 1, \"a\": {\"b\": \"x\", \"c\": {\"d\": true}}, \"n\": null}"));
    assertThat(rows).hasSize(1);
    FlatRow root = rows.get(0);
    assertThat(root.table()).isEqualTo(TableKey.root("items"));
    assertThat(root.parentId()).isNull();
    assertThat(root.rootId()).isEqualTo(root.id());
    assertThat(root.index()).isEqualTo(-1);
    assertThat(root.id()).matches("[0-9a-f]{32}");
    assertThat(cells(root)).containsExactly(
        Map.entry("id", Value.Numeric.of("1")),
        Map.entry("a.b", new Value.Text("x")),
        Map.entry("a.c.d", new Value.Bool(true)),
        Map.entry("n", Value.Null.INSTANCE));
  }

  @Test
  void listsOfObjectsBecomeChildRows() {
    List<FlatRow> rows = flatten(record("items", List.of("k1"),
        "{\"id\": 1, \"findings\": [{\"evidence\": {\"url\": \"u0\"}}, {\"evidence\": {\"url\": \"u1\"}}, {\"sev\": 3}]}"));
    FlatRow root = rowsOf(rows, "").get(0);
    List<FlatRow> children = rowsOf(rows, "findings[]");
    assertThat(rows).hasSize(4);
    assertThat(children).hasSize(3);
    for (int i = 0; i < children.size(); i++) {
      FlatRow child = children.get(i);
      assertThat(child.table()).isEqualTo(new TableKey("items", SourcePath.parse("findings[]")));
      assertThat(child.parentId()).isEqualTo(root.id());
      assertThat(child.rootId()).isEqualTo(root.id());
      assertThat(child.index()).isEqualTo(i);
      assertThat(child.id()).matches("[0-9a-f]{32}").isNotEqualTo(root.id());
    }
    assertThat(cells(children.get(0))).containsExactly(Map.entry("findings[].evidence.url", new Value.Text("u0")));
    assertThat(cells(children.get(2))).containsExactly(Map.entry("findings[].sev", Value.Numeric.of("3")));
    assertThat(cells(root)).containsOnlyKeys("id");
    Set<String> ids = new HashSet<>();
    rows.forEach(r -> ids.add(r.id()));
    assertThat(ids).hasSize(rows.size());
  }

  @Test
  void grandchildrenPointAtTheirParentAndTheRoot() {
    List<FlatRow> rows = flatten(record("items", List.of("k1"),
        "{\"a\": [{\"b\": [10, 20]}, {\"b\": [30]}]}"));
    FlatRow root = rowsOf(rows, "").get(0);
    List<FlatRow> as = rowsOf(rows, "a[]");
    List<FlatRow> bs = rowsOf(rows, "a[].b[]");
    assertThat(as).hasSize(2);
    assertThat(bs).hasSize(3);
    assertThat(bs).allSatisfy(b -> assertThat(b.rootId()).isEqualTo(root.id()));
    assertThat(bs.stream().filter(b -> b.parentId().equals(as.get(0).id())).map(FlatRow::index)).containsExactly(0, 1);
    assertThat(bs.stream().filter(b -> b.parentId().equals(as.get(1).id())).map(FlatRow::index)).containsExactly(0);
    assertThat(bs.stream().map(b -> cells(b).get("a[].b[]")))
        .containsExactlyInAnyOrder(Value.Numeric.of("10"), Value.Numeric.of("20"), Value.Numeric.of("30"));
  }

  @Test
  void scalarListsFillTheElementPath() {
    List<FlatRow> rows = flatten(record("items", List.of("k1"), "{\"tags\": [\"red\", \"blue\", null]}"));
    List<FlatRow> tags = rowsOf(rows, "tags[]");
    assertThat(tags).hasSize(3);
    assertThat(tags.get(0).cells()).hasSize(1);
    assertThat(tags.get(0).cells().get(0).path()).hasToString("tags[]");
    assertThat(tags.get(0).cells().get(0).value()).isEqualTo(new Value.Text("red"));
    assertThat(tags.get(1).cells().get(0).value()).isEqualTo(new Value.Text("blue"));
    assertThat(tags.get(2).cells().get(0).value()).isEqualTo(Value.Null.INSTANCE);
  }

  @Test
  void listsOfListsNest() {
    List<FlatRow> rows = flatten(record("items", List.of("k1"), "{\"m\": [[1, 2], [3]]}"));
    assertThat(rowsOf(rows, "m[]")).hasSize(2).allSatisfy(r -> assertThat(r.cells()).isEmpty());
    List<FlatRow> inner = rowsOf(rows, "m[][]");
    assertThat(inner).hasSize(3);
    assertThat(inner).allSatisfy(r -> assertThat(r.cells().get(0).path()).hasToString("m[][]"));
    assertThat(inner.get(0).parentId()).isEqualTo(rowsOf(rows, "m[]").get(0).id());
  }

  @Test
  void setsFlattenLikeLists() {
    Value.Obj value = new Value.Obj(Map.of("s", new Value.Array(List.of(new Value.Text("a"), new Value.Text("b")), true)));
    List<FlatRow> rows = new ArrayList<>();
    new Flattener(5).flatten(new SourceRecord("items", List.of("k"), value), rows::add);
    assertThat(rowsOf(rows, "s[]")).hasSize(2);
  }

  @Test
  void emptyListsAndMapsMakeNoRowsButAreKeptAsTheirJsonText() {
    List<FlatRow> rows = flatten(record("items", List.of("k1"), "{\"id\": 1, \"tags\": [], \"o\": {}}"));
    assertThat(rows).hasSize(1);
    assertThat(cells(rows.get(0))).containsOnlyKeys("id", "tags", "o")
        .containsEntry("tags", new Value.Text("[]")).containsEntry("o", new Value.Text("{}"));
  }

  @Test
  void idsAreStableAcrossFlattenersAndDifferByKey() {
    String json = "{\"id\": 1, \"tags\": [\"a\", \"b\"], \"l\": [{\"x\": 1}]}";
    List<FlatRow> first = flatten(record("items", List.of("k1"), json));
    List<FlatRow> second = flatten(record("items", List.of("k1"), json));
    assertThat(second).extracting(FlatRow::id).containsExactlyElementsOf(first.stream().map(FlatRow::id).toList());
    assertThat(second).extracting(FlatRow::parentId).containsExactlyElementsOf(first.stream().map(FlatRow::parentId).toList());

    // One flattener reused gives the same ids too.
    Flattener reused = new Flattener(10);
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    reused.flatten(record("items", List.of("k1"), json), r -> a.add(r.id()));
    reused.flatten(record("items", List.of("k1"), json), r -> b.add(r.id()));
    assertThat(b).isEqualTo(a);

    List<FlatRow> other = flatten(record("items", List.of("k2"), json));
    assertThat(other.get(0).id()).isNotEqualTo(first.get(0).id());
    List<FlatRow> otherStream = flatten(record("things", List.of("k1"), json));
    assertThat(otherStream.get(0).id()).isNotEqualTo(first.get(0).id());
    // Same key, different content: same root id (the key makes the id).
    List<FlatRow> changed = flatten(record("items", List.of("k1"), "{\"id\": 2}"));
    assertThat(changed.get(0).id()).isEqualTo(first.get(0).id());
  }

  @Test
  void identicalListsInDifferentRecordsGetDifferentChildIds() {
    String json = "{\"tags\": [\"a\", \"b\"], \"l\": [{\"x\": 1}, {\"x\": 1}]}";
    List<FlatRow> r1 = flatten(record("items", List.of("k1"), json));
    List<FlatRow> r2 = flatten(record("items", List.of("k2"), json));
    Set<String> ids = new HashSet<>();
    r1.forEach(r -> ids.add(r.id()));
    r2.forEach(r -> ids.add(r.id()));
    assertThat(ids).hasSize(r1.size() + r2.size());
    // Identical elements of one list differ by index.
    List<FlatRow> ls = rowsOf(r1, "l[]");
    assertThat(ls.get(0).id()).isNotEqualTo(ls.get(1).id());
    // Two lists in the same row with the same content differ by path.
    List<FlatRow> twin = flatten(record("items", List.of("k1"), "{\"p\": [1], \"q\": [1]}"));
    assertThat(rowsOf(twin, "p[]").get(0).id()).isNotEqualTo(rowsOf(twin, "q[]").get(0).id());
  }

  @Test
  void keylessRecordsAreIdentifiedByContent() {
    List<FlatRow> a = flatten(record("items", List.of(), "{\"x\": 1}"));
    List<FlatRow> b = flatten(record("items", List.of(), "{\"x\": 1}"));
    List<FlatRow> c = flatten(record("items", List.of(), "{\"x\": 2}"));
    assertThat(a.get(0).id()).isEqualTo(b.get(0).id()).isNotEqualTo(c.get(0).id());
  }

  @Test
  void keyPartsAreLengthPrefixed() {
    String json = "{\"x\": 1}";
    String ab = flatten(record("items", List.of("ab", "c"), json)).get(0).id();
    String bc = flatten(record("items", List.of("a", "bc"), json)).get(0).id();
    String joined = flatten(record("items", List.of("abc"), json)).get(0).id();
    assertThat(ab).isNotEqualTo(bc).isNotEqualTo(joined);
    assertThat(bc).isNotEqualTo(joined);
  }

  @Test
  void objectsDeeperThanTheLimitStayJsonText() {
    List<FlatRow> rows = flatten(2, record("items", List.of("k"),
        "{\"a\": {\"b\": {\"c\": {\"d\": 1, \"e\": [1, 2]}}}, \"top\": 5}"));
    assertThat(rows).hasSize(1);
    Map<String, Value> cells = cells(rows.get(0));
    assertThat(cells).containsOnlyKeys("a.b.c", "top");
    Value deep = cells.get("a.b.c");
    assertThat(deep).isInstanceOf(Value.Text.class);
    assertThat(JsonValues.parse(((Value.Text) deep).value())).isEqualTo(JsonValues.parse("{\"d\": 1, \"e\": [1, 2]}"));
  }

  @Test
  void listsDeeperThanTheLimitStayJsonText() {
    List<FlatRow> rows = flatten(1, record("items", List.of("k"),
        "{\"l\": [{\"x\": [1, 2]}], \"o\": {\"p\": \"q\"}}"));
    assertThat(rowsOf(rows, "l[]")).hasSize(1);
    Map<String, Value> child = cells(rowsOf(rows, "l[]").get(0));
    assertThat(child).containsOnlyKeys("l[].x");
    assertThat(child.get("l[].x")).isEqualTo(new Value.Text("[1,2]"));
    assertThat(cells(rowsOf(rows, "").get(0))).containsEntry("o.p", new Value.Text("q"));
  }

  @Test
  void depthLimitMustBePositive() {
    assertThatThrownBy(() -> new Flattener(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
