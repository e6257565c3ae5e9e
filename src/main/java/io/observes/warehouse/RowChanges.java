package io.observes.warehouse;

/**
 * What a publish did to a target table: rows inserted, updated (replaced by a newer version of the
 * same key) and deleted (a replaced table's old rows; a merged child table's rows of replaced roots).
 */
public record RowChanges(long inserted, long updated, long deleted) {}
