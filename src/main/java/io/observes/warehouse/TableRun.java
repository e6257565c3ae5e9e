package io.observes.warehouse;

import java.time.Instant;

/** One table's rows in one phase of a run, as the run log recorded them. */
public record TableRun(String run, String table, String phase, Instant started, long rowsLoaded, long rowsRejected,
    long rowsWritten, long bytes) {}
