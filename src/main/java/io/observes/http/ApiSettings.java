package io.observes.http;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One API source: its name in messages ("GitLab"), the root its paths are resolved against (and
 * the only origin its requests go to), how it authenticates, its retries, request budget and limits
 * of time and size, and what to tell the user when it rejects the credentials ("set
 * OBSERVES_GITLAB_TOKEN to a token with the read_api scope").
 */
public record ApiSettings(String service, URI baseUrl, Auth auth, RetrySettings retries, RateLimit rate,
    String credentialsHint, HttpLimits limits) {
  public ApiSettings {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(retries, "retries");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(credentialsHint, "credentialsHint");
    Objects.requireNonNull(limits, "limits");
    if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme()) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("the " + service + " API URL must be http(s)://host/..., was " + baseUrl);
    }
  }

  /** With the {@link HttpLimits#DEFAULT} limits; a source reads its own with {@link HttpLimits#from}. */
  public ApiSettings(String service, URI baseUrl, Auth auth, RetrySettings retries, RateLimit rate, String credentialsHint) {
    this(service, baseUrl, auth, retries, rate, credentialsHint, HttpLimits.DEFAULT);
  }

  /** The only origin this source's requests, and so its credentials, may go to: its base URL's. */
  public Origin origin() {
    return Origin.of(baseUrl).orElseThrow();
  }

  public ApiSettings withRetries(RetrySettings retries) {
    return new ApiSettings(service, baseUrl, auth, retries, rate, credentialsHint, limits);
  }

  public ApiSettings withRate(RateLimit rate) {
    return new ApiSettings(service, baseUrl, auth, retries, rate, credentialsHint, limits);
  }

  public ApiSettings withLimits(HttpLimits limits) {
    return new ApiSettings(service, baseUrl, auth, retries, rate, credentialsHint, limits);
  }

  /**
   * The API root in {@code variable} (so tests and local runs point a source elsewhere), else
   * {@code fallback}; without a trailing slash. A malformed one is a {@link ConfigException}.
   */
  public static URI baseUrl(Environment env, String variable, String fallback) {
    String url = env.getOrDefault(variable, fallback);
    try {
      URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(variable + " must be the API root like " + fallback + ", was '" + url + "'", e);
    }
  }

  /** A required secret from {@code env} ({@code variable}, else {@code fallback} when not null). */
  public static Secret secret(Environment env, String variable, String fallback, String hint) {
    String value = env.get(variable).or(() -> fallback == null ? java.util.Optional.empty() : env.get(fallback))
        .orElseThrow(() -> new ConfigException("set " + variable + (fallback == null ? "" : " (or " + fallback + ")")
            + " " + hint + ", in the environment or in the secrets file (observes secrets list)"));
    return Secret.of(value, variable);
  }
}
