package io.observes.pipeline.flatten;

import io.observes.pipeline.schema.TableKey;
import java.util.List;

/**
 * A row of one table: its ids (parent, root and index only for child tables, else null / -1) and
 * its scalar cells.
 */
public record FlatRow(TableKey table, String id, String parentId, String rootId, int index, List<Cell> cells) {}
