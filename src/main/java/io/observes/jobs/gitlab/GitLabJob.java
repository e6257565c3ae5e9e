package io.observes.jobs.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The fields of a GitLab CI job (Jobs API) that deciding and reporting a cancel needs; GitLab sends
 * many more, which are ignored. {@code startedAt} is null for a job no runner has picked up yet, and
 * {@code pipeline} for the rare job GitLab returns without one.
 */
public record GitLabJob(long id, String name, String status, String stage, String ref, Instant createdAt,
    Instant startedAt, Pipeline pipeline, String webUrl) {

  /** The pipeline the job belongs to. */
  public record Pipeline(long id, String ref, String status) {}

  public GitLabJob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** How long ago the job was created; that, not the start, is what makes a pending job stuck. */
  public Duration age(Instant now) {
    return Duration.between(createdAt, now);
  }

  /** One element of a Jobs API response; {@code what} names the request in the error when it is not a job. */
  static GitLabJob fromJson(JsonNode node, String what) {
    if (!node.path("id").canConvertToLong() || !node.path("created_at").isTextual()) {
      String text = node.toString();
      throw new ApiException(0, "GitLab answered " + what + " with a job without id or created_at: "
          + (text.length() <= 200 ? text : text.substring(0, 200) + "..."));
    }
    JsonNode pipeline = node.path("pipeline");
    return new GitLabJob(node.get("id").asLong(), node.path("name").asText(""), node.path("status").asText(""),
        text(node, "stage"), text(node, "ref"), time(node, "created_at", what), time(node, "started_at", what),
        pipeline.path("id").canConvertToLong()
            ? new Pipeline(pipeline.get("id").asLong(), text(pipeline, "ref"), text(pipeline, "status")) : null,
        text(node, "web_url"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  /** GitLab writes ISO-8601 with an offset: {@code 2015-12-24T15:51:21.802Z} or {@code ...+01:00}. */
  private static Instant time(JsonNode node, String field, String what) {
    String value = text(node, field);
    try {
      return value == null ? null : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(0, "GitLab answered " + what + " with a job whose " + field + " is not a time: '" + value + "'");
    }
  }
}
