package io.observes.pipeline;

import io.observes.pipeline.flatten.RowIds;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Keeps one record per key of every stream that declares a key, within a run: an API read may
 * return a record twice (offset pages shifting under a walk, an interval re-read, a month both
 * backed up and read live), and two copies in one batch would both be inserted. The first copy
 * wins; the copies dropped are counted. Streams without a declared key are left as they are.
 */
final class DistinctRecords {
  private final Streams streams;
  private final RowIds ids = new RowIds();
  private final Set<String> seen = new HashSet<>();
  private final AtomicLong dropped = new AtomicLong();

  DistinctRecords(Streams streams) {
    this.streams = streams;
  }

  Stream<SourceRecord> filter(Stream<SourceRecord> records) {
    return records.filter(r -> {
      boolean keyed = streams.spec(r.stream()).map(spec -> !spec.key().isEmpty()).orElse(false);
      if (!keyed || seen.add(ids.root(r.stream(), r.key()))) {
        return true;
      }
      dropped.incrementAndGet();
      return false;
    });
  }

  long dropped() {
    return dropped.get();
  }
}
