package io.observes.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of an ETL's state as read: the ETL's own data (a JSON object), the ETag that lets a
 * write replace exactly this version, and which run wrote it when. Pass it back to {@link
 * StateStore#write} as the version the new state replaces.
 */
public record StateVersion(JsonNode data, String etag, String run, Instant writtenAt) {
  public StateVersion {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(writtenAt, "writtenAt");
  }
}
