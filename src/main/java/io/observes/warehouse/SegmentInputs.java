package io.observes.warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which staging of each segment a table's rows come from (segment -> manifest id), kept with the
 * load as {@code 0=ab12;1=cd34}: a load of re-staged segments is told apart, and named.
 */
public record SegmentInputs(SortedMap<Integer, String> bySegment) {
  public SegmentInputs {
    bySegment = new TreeMap<>(Objects.requireNonNull(bySegment, "bySegment"));
  }

  public static SegmentInputs parse(String text) {
    SortedMap<Integer, String> bySegment = new TreeMap<>();
    for (String entry : text.isEmpty() ? new String[0] : text.split(";")) {
      int eq = entry.indexOf('=');
      bySegment.put(Integer.parseInt(entry.substring(0, eq)), entry.substring(eq + 1));
    }
    return new SegmentInputs(bySegment);
  }

  public String text() {
    StringBuilder text = new StringBuilder();
    bySegment.forEach((segment, id) -> text.append(text.length() == 0 ? "" : ";").append(segment).append('=').append(id));
    return text.toString();
  }

  /** The segments whose staging differs between this and {@code other}, or that only one of them has. */
  public List<Integer> changedSegments(SegmentInputs other) {
    TreeSet<Integer> changed = new TreeSet<>();
    for (Map.Entry<Integer, String> entry : bySegment.entrySet()) {
      if (!entry.getValue().equals(other.bySegment.get(entry.getKey()))) {
        changed.add(entry.getKey());
      }
    }
    other.bySegment.keySet().stream().filter(s -> !bySegment.containsKey(s)).forEach(changed::add);
    return new ArrayList<>(changed);
  }
}
