package io.observes.jobs.warehouse;

import io.observes.pipeline.RunId;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads a question's probe values into the scratch target together, and, when the warehouse refuses
 * them together, each alone, so the answer names the values it refuses rather than the whole run.
 */
final class ProbeLoad {
  /** Values read back per probe, the probes whose load alone was refused (with why), and why the load of all was. */
  record Loaded<T>(Map<String, T> values, Map<String, String> refused, String whole) {
    List<String> refusals(Function<String, String> describe) {
      List<String> lines = new ArrayList<>();
      refused.forEach((probe, why) -> lines.add(describe.apply(probe) + " was refused by the load: " + why));
      return lines;
    }

    String wholeRefusal() {
      return whole == null ? "" : " (the load of all of them together was refused: " + whole + "; so each was loaded alone)";
    }
  }

  /** The values of a loaded run, read back by probe name. */
  interface Reader<T> {
    Map<String, T> read(Schema schema);
  }

  private final ScratchTarget target;

  ProbeLoad(ScratchTarget target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /** Loads {@code records} (by probe name) as the run {@code values-<name>} and reads them back. */
  <T> Loaded<T> read(String name, Map<String, SourceRecord> records, Reader<T> reader) {
    Schema schema;
    try {
      schema = target.stageAndLoad(new RunId("values-" + name), new ArrayList<>(records.values()));
    } catch (RuntimeException whole) {
      Map<String, T> values = new LinkedHashMap<>();
      Map<String, String> refused = new LinkedHashMap<>();
      int i = 0;
      for (Map.Entry<String, SourceRecord> record : records.entrySet()) {
        Schema alone;
        try {
          alone = target.stageAndLoad(new RunId("values-" + name + "-" + i++), List.of(record.getValue()));
        } catch (RuntimeException refusal) {
          refused.put(record.getKey(), Answer.message(refusal));
          continue;
        }
        values.put(record.getKey(), reader.read(alone).get(record.getKey()));
      }
      return new Loaded<>(values, refused, Answer.message(whole));
    }
    return new Loaded<>(reader.read(schema), Map.of(), null);
  }
}
