package io.observes.pipeline;

import io.observes.pipeline.value.Value;
import java.util.List;
import java.util.Objects;

/**
 * One record from a source: the stream (future root table) it belongs to, its primary key and its
 * tree value. The key makes the row id: same key, same id, every run. A source without a key passes
 * an empty list and the id becomes a hash of the record's content.
 */
public record SourceRecord(String stream, List<String> key, Value.Obj value) {
  public SourceRecord {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(value, "value");
    key = List.copyOf(key);
  }
}
