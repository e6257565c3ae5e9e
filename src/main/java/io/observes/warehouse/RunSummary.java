package io.observes.warehouse;

import java.time.Instant;

/** A run-log row as listed by {@code observes runs}. */
public record RunSummary(
    String job, String run, String phase, Integer segment, Instant started, Instant finished, String status, String error) {}
