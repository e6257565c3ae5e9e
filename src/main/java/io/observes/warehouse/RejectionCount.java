package io.observes.warehouse;

/** How many values of a target were rejected for one reason. */
public record RejectionCount(String reason, long values) {}
