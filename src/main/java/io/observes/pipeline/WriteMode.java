package io.observes.pipeline;

/** How a stream's tables reach the target schema. */
public enum WriteMode {
  /** Each run's rows are the table: replaced whole, atomically (a full refresh). */
  REPLACE,
  /**
   * The table persists across runs: a run's rows replace the rows with the same key (a root row by
   * its key, its child rows with it), the others stay. For differential sources.
   */
  MERGE
}
