package io.observes.pipeline.flatten;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a record into relational rows (DESIGN.md §2): object fields merge into the row as
 * {@code a.b} paths, a list or set becomes rows of a child table, list elements that are scalars
 * fill the element path itself (the {@code value} column), an empty list or map is kept as the text
 * {@code []} / {@code {}} at its path, and anything nested deeper than {@code maxDepth} is kept whole
 * as JSON text. Not thread-safe: one per worker.
 */
public final class Flattener {
  /**
   * An empty list or map leaves no child rows or columns, so it is recorded as its JSON text at its
   * own path: an empty list, an empty map and a missing field stay three different things.
   */
  static final Value EMPTY_LIST = new Value.Text("[]");

  static final Value EMPTY_OBJECT = new Value.Text("{}");
  /** Paths remembered at most: the fields of real records repeat; hostile ones must not fill the heap. */
  static final int PATHS_CACHED = 100_000;

  private final int maxDepth;
  private final RowIds ids = new RowIds();
  /** Child paths by parent and field name: records repeat their fields, so their paths are made once. */
  private final Map<SourcePath, Map<String, SourcePath>> fields = new HashMap<>();
  private final Map<SourcePath, SourcePath> elements = new HashMap<>();
  private int cached;

  public Flattener(int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("the nesting depth limit must be at least 1, was " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  public void flatten(SourceRecord record, Consumer<FlatRow> out) {
    List<String> key = record.key().isEmpty() ? List.of(JsonValues.toJson(record.value())) : record.key();
    String rootId = ids.root(record.stream(), key);
    emit(record.stream(), TableKey.root(record.stream()), record.value(), rootId, null, rootId, -1, 0, out);
  }

  private record PendingList(SourcePath path, Value.Array list, int depth) {}

  private void emit(
      String stream,
      TableKey table,
      Value element,
      String id,
      String parentId,
      String rootId,
      int index,
      int depth,
      Consumer<FlatRow> out) {
    List<Cell> cells = new ArrayList<>();
    List<PendingList> lists = new ArrayList<>(0);
    if (element instanceof Value.Obj obj) {
      collect(obj, table.path(), depth, cells, lists);
    } else if (element instanceof Value.Array nested) {
      place(table.path(), nested, depth, cells, lists);
    } else {
      cells.add(new Cell(table.path(), element));
    }
    out.accept(new FlatRow(table, id, parentId, rootId, index, cells));
    for (PendingList pending : lists) {
      SourcePath elementPath = element(pending.path());
      TableKey child = new TableKey(stream, elementPath);
      String listPath = pending.path().toString();
      List<Value> items = pending.list().items();
      for (int i = 0; i < items.size(); i++) {
        emit(stream, child, items.get(i), ids.child(id, listPath, i), id, rootId, i, pending.depth() + 1, out);
      }
    }
  }

  private void collect(Value.Obj obj, SourcePath prefix, int depth, List<Cell> cells, List<PendingList> lists) {
    for (Map.Entry<String, Value> field : obj.fields().entrySet()) {
      SourcePath path = field(prefix, field.getKey());
      Value value = field.getValue();
      if (value instanceof Value.Obj nested) {
        if (nested.fields().isEmpty()) {
          cells.add(new Cell(path, EMPTY_OBJECT));
        } else if (depth + 1 > maxDepth) {
          cells.add(new Cell(path, new Value.Text(JsonValues.toJson(nested))));
        } else {
          collect(nested, path, depth + 1, cells, lists);
        }
      } else if (value instanceof Value.Array list) {
        place(path, list, depth, cells, lists);
      } else {
        cells.add(new Cell(path, value));
      }
    }
  }

  private SourcePath field(SourcePath parent, String name) {
    Map<String, SourcePath> children = fields.get(parent);
    SourcePath path = children == null ? null : children.get(name);
    if (path == null) {
      path = parent.field(name);
      if (cached < PATHS_CACHED) {
        fields.computeIfAbsent(parent, p -> new HashMap<>()).put(name, path);
        cached++;
      }
    }
    return path;
  }

  private SourcePath element(SourcePath list) {
    SourcePath path = elements.get(list);
    if (path == null) {
      path = list.element();
      if (cached < PATHS_CACHED) {
        elements.put(list, path);
        cached++;
      }
    }
    return path;
  }

  private void place(SourcePath path, Value.Array list, int depth, List<Cell> cells, List<PendingList> lists) {
    if (list.items().isEmpty()) {
      cells.add(new Cell(path, EMPTY_LIST));
    } else if (depth + 1 > maxDepth) {
      cells.add(new Cell(path, new Value.Text(JsonValues.toJson(list))));
    } else {
      lists.add(new PendingList(path, list, depth + 1));
    }
  }
}
