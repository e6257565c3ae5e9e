package io.observes.etl.gitlab;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiException;
import io.observes.http.ApiJson;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The fields of GitLab's objects the ETL relies on, typed (Jackson records): an object without them,
 * or with them of another JSON type, is an error naming the call. Every other field is kept in the
 * record's value, never a failure.
 */
final class GitLabRecords {
  /** A listed merge request, pipeline, issue or member: its id, and when it last changed. */
  record Listed(@JsonProperty(value = "id", required = true) long id, @JsonProperty("updated_at") OffsetDateTime updatedAt) {}

  /** A job: its id, the ids it is reduced to, and its tags. */
  record Job(@JsonProperty(value = "id", required = true) long id, @JsonProperty("pipeline") Ref pipeline,
      @JsonProperty("user") Ref user, @JsonProperty("runner") Ref runner, @JsonProperty("commit") Commit commit,
      @JsonProperty("ref") String ref, @JsonProperty("tag_list") List<String> tagList) {
    Job {
      tagList = tagList == null ? List.of() : List.copyOf(tagList);
    }
  }

  /** An object referred to by id. */
  record Ref(@JsonProperty("id") Long id) {}

  /** A commit, referred to by its sha. */
  record Commit(@JsonProperty("id") String id) {}

  private GitLabRecords() {}

  static <T> T read(JsonNode node, Class<T> type, String what) {
    try {
      return ApiJson.MAPPER.treeToValue(node, type);
    } catch (Exception e) {
      String text = node.toString();
      throw new ApiException(0, "GitLab answered " + what + " with an object that is not a documented " + type.getSimpleName()
          + " (" + e.getMessage().lines().findFirst().orElse("") + "): " + (text.length() <= 200 ? text : text.substring(0, 200) + "..."),
          e);
    }
  }
}
