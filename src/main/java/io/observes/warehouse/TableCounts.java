package io.observes.warehouse;

/** Per table counts of a run phase: rows written (staged), loaded, rejected, and bytes staged. */
public record TableCounts(String table, long rowsWritten, long rowsLoaded, long rowsRejected, long bytes) {}
