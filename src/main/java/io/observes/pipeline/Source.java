package io.observes.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What an ETL package provides: its name, its streams (write mode, key, declared types) and how to
 * read its records. The pipeline, the state and the run log do the rest, whichever source it is.
 */
public interface Source {
  /** The ETL's name: its folder in the buckets, its state object and its job in the run log. */
  String name();

  Streams streams();

  /**
   * The name of the state and run lease: {@link #name} unless the source shares them with another
   * (two jobs of one ETL that must never run together and hand each other their state).
   */
  default String stateName() {
    return name();
  }

  /** Whether the source keeps a state between runs (a differential source). */
  default boolean stateful() {
    return false;
  }

  /**
   * Reads {@code segment} of the source's records. {@code state} is what the last committed run
   * left ({@link Batch#stateAfter}), empty on a first run and for sources without state.
   */
  Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress);
}
