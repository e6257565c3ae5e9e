package io.observes.jobs.gitlab;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where GitLab's REST API is and the token to call it with. {@link #toString} shows the URL only:
 * the token is a credential that must never reach a log line, an error message or the output.
 */
public record GitLabSettings(URI apiUrl, String token) {
  public static final String URL_VARIABLE = "OBSERVES_GITLAB_URL";
  public static final String TOKEN_VARIABLE = "OBSERVES_GITLAB_TOKEN";
  /** The variable GitLab's own tooling and the legacy job read; used when {@link #TOKEN_VARIABLE} is unset. */
  public static final String FALLBACK_TOKEN_VARIABLE = "GITLAB_TOKEN";
  public static final String DEFAULT_URL = "https://gitlab.com/api/v4";

  public GitLabSettings {
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(token, "token");
    if (!"https".equals(apiUrl.getScheme()) && !"http".equals(apiUrl.getScheme()) || apiUrl.getHost() == null) {
      throw new IllegalArgumentException("the GitLab API URL must be http(s)://host/..., was " + apiUrl);
    }
    if (token.isBlank()) {
      throw new IllegalArgumentException("the GitLab token is blank");
    }
  }

  /** The settings in {@code env}; a missing token or a malformed URL is a {@link ConfigException} saying what to set. */
  public static GitLabSettings from(Environment env) {
    Objects.requireNonNull(env, "env");
    String token = env.get(TOKEN_VARIABLE).or(() -> env.get(FALLBACK_TOKEN_VARIABLE)).orElseThrow(() -> new ConfigException(
        "set " + TOKEN_VARIABLE + " (or " + FALLBACK_TOKEN_VARIABLE + ") to a GitLab access token with the 'api' scope"));
    String url = env.getOrDefault(URL_VARIABLE, DEFAULT_URL);
    try {
      return new GitLabSettings(new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), token);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ConfigException(URL_VARIABLE + " must be GitLab's API root like " + DEFAULT_URL + ", was '" + url + "'", e);
    }
  }

  /** {@code pathAndQuery} (already encoded, no leading slash) under the API root. */
  URI resolve(String pathAndQuery) {
    return URI.create(apiUrl + "/" + pathAndQuery);
  }

  @Override
  public String toString() {
    return "GitLabSettings[apiUrl=" + apiUrl + ", token=<redacted>]";
  }
}
