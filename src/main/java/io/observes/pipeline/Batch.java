package io.observes.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What one read of a source yields: its records, read lazily, and the state to keep once they are
 * committed in the warehouse — known only after the records were consumed (how far the read got).
 */
public final class Batch {
  private final Stream<SourceRecord> records;
  private final Supplier<Optional<JsonNode>> stateAfter;

  public Batch(Stream<SourceRecord> records, Supplier<Optional<JsonNode>> stateAfter) {
    this.records = Objects.requireNonNull(records, "records");
    this.stateAfter = Objects.requireNonNull(stateAfter, "stateAfter");
  }

  /** Records of a source without state. */
  public static Batch stateless(Stream<SourceRecord> records) {
    return new Batch(records, Optional::empty);
  }

  public Stream<SourceRecord> records() {
    return records;
  }

  /** The state after this read; call it after {@link #records} was consumed. */
  public Optional<JsonNode> stateAfter() {
    return stateAfter.get();
  }
}
