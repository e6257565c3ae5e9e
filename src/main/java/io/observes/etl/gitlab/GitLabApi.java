package io.observes.etl.gitlab;

import io.observes.config.Environment;
import io.observes.http.ApiSettings;
import io.observes.http.Auth;
import io.observes.http.HttpLimits;
import io.observes.http.RateLimit;
import io.observes.http.RetrySettings;
import io.observes.http.Secret;
import java.util.Map;

/**
 * GitLab's REST API (v4) as a source: its root ({@code OBSERVES_GITLAB_URL}, default gitlab.com)
 * and the token ({@code OBSERVES_GITLAB_TOKEN}, else {@code GITLAB_TOKEN}) sent as
 * {@code Private-Token}. Shared by the gitlab ETL and the cancel-ci-jobs job.
 */
public final class GitLabApi {
  public static final String URL_VARIABLE = "OBSERVES_GITLAB_URL";
  public static final String TOKEN_VARIABLE = "OBSERVES_GITLAB_TOKEN";
  /** The variable GitLab's own tooling and the legacy job read; used when {@link #TOKEN_VARIABLE} is unset. */
  public static final String FALLBACK_TOKEN_VARIABLE = "GITLAB_TOKEN";
  public static final String DEFAULT_URL = "https://gitlab.com/api/v4";
  /** The largest page GitLab serves: fewer requests, fewer chances for offset pages to shift. */
  public static final int PER_PAGE = 100;
  /** Well under gitlab.com's 2,000 authenticated API calls a minute, shared with everyone's CI. */
  static final RateLimit RATE = RateLimit.perMinute(600);

  private GitLabApi() {}

  /** The API settings in {@code env}; a missing token or a malformed URL is a configuration error saying what to set. */
  public static ApiSettings settings(Environment env, RetrySettings retries, String scope) {
    String hint = "to a GitLab access token with the '" + scope + "' scope";
    Secret token = ApiSettings.secret(env, TOKEN_VARIABLE, FALLBACK_TOKEN_VARIABLE, hint);
    return new ApiSettings("GitLab", ApiSettings.baseUrl(env, URL_VARIABLE, DEFAULT_URL),
        Auth.headers(Map.of("Private-Token", token)), retries, RATE,
        "set " + TOKEN_VARIABLE + " (or " + FALLBACK_TOKEN_VARIABLE + ") " + hint, HttpLimits.from(env, "GITLAB"));
  }
}
