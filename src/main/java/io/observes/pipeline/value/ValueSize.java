package io.observes.pipeline.value;

import java.util.Map;

/** A rough heap size of a value tree, for budgeting how many records may be in flight. */
public final class ValueSize {
  private ValueSize() {}

  public static long estimate(Value value) {
    if (value instanceof Value.Text t) {
      return 56L + 2L * t.value().length();
    }
    if (value instanceof Value.Numeric n) {
      return 96L + 2L * n.text().length();
    }
    if (value instanceof Value.Invalid i) {
      return 32L + estimate(i.raw()) + 2L * i.reason().length();
    }
    if (value instanceof Value.Binary b) {
      return 48L + b.bytes().length;
    }
    if (value instanceof Value.Obj o) {
      long size = 64L;
      for (Map.Entry<String, Value> field : o.fields().entrySet()) {
        size += 72L + 2L * field.getKey().length() + estimate(field.getValue());
      }
      return size;
    }
    if (value instanceof Value.Array a) {
      long size = 48L;
      for (Value item : a.items()) {
        size += 8L + estimate(item);
      }
      return size;
    }
    return 16L;
  }
}
