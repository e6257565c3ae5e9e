package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.Streams;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform's DynamoDB table as a source: one segment per read (of a parallel Scan, or of a
 * completed export's files), every entity type (facet) its own stream, found as the read meets it
 * and replaced each run; no state, every run reads the whole table.
 */
public final class DynamoSource implements Source {
  public static final String NAME = "dynamodb";

  private final SegmentReader scan;

  public DynamoSource(SegmentReader scan) {
    this.scan = Objects.requireNonNull(scan, "scan");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Streams streams() {
    return Streams.undeclared();
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    return Batch.stateless(scan.records(segment, progress));
  }
}
