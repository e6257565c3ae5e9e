package io.observes.etl.gitlab;

import io.observes.http.PathSegment;
import java.util.Objects;

/**
 * A GitLab project as the API names it: its numeric id ({@code 20741933}) or its full path
 * ({@code group/subgroup/project}). GitLab wants a path as ONE URL segment, its slashes encoded.
 */
public record ProjectId(String value) {
  public ProjectId {
    Objects.requireNonNull(value, "value");
    value = value.strip();
    if (value.isEmpty() || value.startsWith("/") || value.endsWith("/")) {
      throw new IllegalArgumentException("a GitLab project is a numeric id or a path like group/project, was '" + value + "'");
    }
  }

  /** The value as one path segment: {@code group/project} becomes {@code group%2Fproject}. */
  public String pathSegment() {
    return PathSegment.encode(value, "GitLab project '" + value + "'");
  }

  @Override
  public String toString() {
    return value;
  }
}
