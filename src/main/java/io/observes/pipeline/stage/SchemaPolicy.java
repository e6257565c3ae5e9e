package io.observes.pipeline.stage;

/** What happens to a value that does not fit the type a schema declares for its column. */
public enum SchemaPolicy {
  /** The column widens along the type lattice (inferred and cached schemas). */
  WIDEN,
  /** The value goes to {@code _rejected} with the reason (typed schemas a source declares). */
  REJECT
}
