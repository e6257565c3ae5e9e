package io.observes.pipeline.flatten;

import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.value.Value;

/** One scalar value of a flat row and the source path it came from. */
public record Cell(SourcePath path, Value value) {}
