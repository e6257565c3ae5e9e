package io.observes.jobs.warehouse;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.pipeline.value.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records of the check's scratch streams: each keyed by its {@code probe} field, which names the case. */
final class Probes {
  static final String KEY = "probe";

  private Probes() {}

  /** A replaced stream keyed by its probe field. */
  static StreamSpec stream(String name) {
    return StreamSpec.of(name, WriteMode.REPLACE, KEY);
  }

  /** A record of {@code stream} with the probe's name and {@code fields} (name, value, name, value, ...). */
  static SourceRecord record(StreamSpec stream, String probe, Object... fields) {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put(KEY, new Value.Text(probe));
    for (int i = 0; i < fields.length; i += 2) {
      values.put((String) fields[i], (Value) fields[i + 1]);
    }
    return stream.record(new Value.Obj(values));
  }

  /** A record of {@code stream} with the probe's name and {@code fields} in their order. */
  static SourceRecord recordOf(StreamSpec stream, String probe, Map<String, Value> fields) {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put(KEY, new Value.Text(probe));
    values.putAll(fields);
    return stream.record(new Value.Obj(values));
  }
}
