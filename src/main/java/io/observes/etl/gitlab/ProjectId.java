package io.observes.etl.gitlab;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return value;
  }
}
