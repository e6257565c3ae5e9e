package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;

/** A project's numeric id (the key its rows carry), asked of GitLab when it was named by its path. */
final class GitLabProjects {
  private GitLabProjects() {}

  static long numericId(ApiClient api, ProjectId project) {
    if (project.value().chars().allMatch(Character::isDigit)) {
      return Long.parseLong(project.value());
    }
    String what = "looking up project " + project;
    JsonNode found = api.getJson("projects/" + project.pathSegment(), what);
    if (!found.path("id").canConvertToLong()) {
      throw new ApiException(0, "GitLab answered " + what + " without a numeric id");
    }
    return found.get("id").asLong();
  }
}
