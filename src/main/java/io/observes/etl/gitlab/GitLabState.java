package io.observes.etl.gitlab;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gitlab ETL's state: per project, per differential stream ({@code merge_requests/merged},
 * {@code merge_requests/closed}, {@code pipelines}), the {@code updated_at} intervals loaded.
 */
record GitLabState(@JsonProperty("projects") Map<String, Map<String, Covered>> projects) {
  GitLabState {
    Map<String, Map<String, Covered>> copy = new TreeMap<>();
    if (projects != null) {
      projects.forEach((p, streams) -> copy.put(p, new TreeMap<>(streams)));
    }
    projects = copy;
  }

  static GitLabState empty() {
    return new GitLabState(Map.of());
  }

  static GitLabState from(JsonNode data, String where) {
    try {
      return ApiJson.MAPPER.treeToValue(data, GitLabState.class);
    } catch (Exception e) {
      throw new IllegalStateException(where + " is not a gitlab ETL state: " + e.getMessage()
          + ". Fix or delete it (deleting it makes the next run fetch the whole history).", e);
    }
  }

  JsonNode toJson() {
    return ApiJson.MAPPER.valueToTree(this);
  }

  Covered covered(ProjectId project, String stream) {
    return projects.getOrDefault(project.value(), Map.of()).getOrDefault(stream, Covered.none());
  }

  GitLabState with(ProjectId project, String stream, Covered covered) {
    Map<String, Map<String, Covered>> next = new LinkedHashMap<>(projects);
    Map<String, Covered> streams = new LinkedHashMap<>(next.getOrDefault(project.value(), Map.of()));
    streams.put(stream, covered);
    next.put(project.value(), streams);
    return new GitLabState(next);
  }
}
