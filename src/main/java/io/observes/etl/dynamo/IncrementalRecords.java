package io.observes.etl.dynamo;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The changes of one incremental run as the pipeline's versioned records (see
 * {@code Streams.versioned}): an item's NewImage routed and keyed as a scan routes it, with its write
 * time in {@link #WRITTEN}; a deletion as its keys, its write time and {@link #DELETED} true. An
 * item seen in several windows of the run (adjacent windows overlap by AWS's edge drift) is kept
 * once, with its latest change.
 */
public final class IncrementalRecords {
  /** The record field holding {@code Metadata.WriteTimestampMicros}: the root row's version. */
  public static final String WRITTEN = "_observes_written";
  /** The record field marking a deletion; never reaches the target. */
  public static final String DELETED = "_observes_deleted";

  private final Function<Map<String, AttributeValue>, SourceRecord> route;
  private final Map<String, IncrementalChange> latest = new LinkedHashMap<>();
  private final Map<String, SourceRecord> routed = new LinkedHashMap<>();

  /** {@code route}: an item (or a deleted item's keys) to its record, as a scan makes it. */
  public IncrementalRecords(Function<Map<String, AttributeValue>, SourceRecord> route) {
    this.route = Objects.requireNonNull(route, "route");
  }

  /**
   * Takes one change; an older change of an item already taken is dropped. An item whose change
   * moved it to another facet (an attribute its route depends on, such as a root's {@code type})
   * also leaves its old facet's table: a deletion there, routed by its OldImage, at the same time.
   */
  public void add(IncrementalChange change) {
    // A deletion is routed by the item as it was (its facet may follow from more than its keys).
    SourceRecord keyed = route.apply(change.newImage().or(change::oldImage).orElse(change.keys()));
    take(change, keyed);
    if (change.newImage().isPresent() && change.oldImage().isPresent()) {
      SourceRecord before = route.apply(change.oldImage().get());
      if (!before.stream().equals(keyed.stream())) {
        take(new IncrementalChange(change.keys(), Optional.empty(), change.oldImage(), change.writeMicros()), before);
      }
    }
  }

  private void take(IncrementalChange change, SourceRecord keyed) {
    String id = keyed.stream() + "\u0000" + String.join("\u0000", keyed.key());
    IncrementalChange held = latest.get(id);
    if (held == null || change.writeMicros() >= held.writeMicros()) {
      latest.put(id, change);
      routed.put(id, keyed);
    }
  }

  public int size() {
    return latest.size();
  }

  public long deletions() {
    return latest.values().stream().filter(IncrementalChange::deleted).count();
  }

  /** The records to stage: each item's latest change. */
  public Stream<SourceRecord> records() {
    List<SourceRecord> records = new ArrayList<>(latest.size());
    latest.forEach((id, change) -> {
      SourceRecord keyed = routed.get(id);
      Map<String, Value> fields = new LinkedHashMap<>(change.deleted() ? DynamoItems.toValue(change.keys()).fields()
          : keyed.value().fields());
      fields.put(WRITTEN, Value.Numeric.of(change.writeMicros()));
      if (change.deleted()) {
        fields.put(DELETED, new Value.Bool(true));
      }
      records.add(new SourceRecord(keyed.stream(), keyed.key(), new Value.Obj(fields)));
    });
    return records.stream();
  }
}
