package io.observes.etl.checkly;

import io.observes.config.Environment;
import io.observes.http.ApiSettings;
import io.observes.http.Auth;
import io.observes.http.HttpLimits;
import io.observes.http.RateLimit;
import io.observes.http.RetrySettings;
import io.observes.http.Secret;
import java.util.Map;

/**
 * Checkly's Public API as a source (v1 lists, v2 check results): its root ({@code OBSERVES_CHECKLY_URL}, default
 * api.checklyhq.com), the API key ({@code OBSERVES_CHECKLY_API_KEY}) as a bearer token and the
 * account ({@code OBSERVES_CHECKLY_ACCOUNT}) in {@code X-Checkly-Account}.
 */
public final class ChecklyApi {
  public static final String URL_VARIABLE = "OBSERVES_CHECKLY_URL";
  public static final String KEY_VARIABLE = "OBSERVES_CHECKLY_API_KEY";
  public static final String ACCOUNT_VARIABLE = "OBSERVES_CHECKLY_ACCOUNT";
  public static final String DEFAULT_URL = "https://api.checklyhq.com";
  /** Requests a minute this ETL allows itself (default 60, the check-results limit of the API, v1 and v2). */
  public static final String RATE_VARIABLE = "OBSERVES_CHECKLY_REQUESTS_PER_MINUTE";
  /** The largest page Checkly's lists serve (v1 pages and v2's cursor pages alike). */
  static final int LIMIT = 100;
  /** The check-results endpoint allows 60 requests in 60 seconds; the run stays under it. */
  static final int REQUESTS_PER_MINUTE = 60;

  private ChecklyApi() {}

  static RateLimit rate(Environment env) {
    int perMinute = env.integer(RATE_VARIABLE).orElse(REQUESTS_PER_MINUTE);
    if (perMinute < 1) {
      throw new io.observes.config.ConfigException(RATE_VARIABLE + " must be at least 1, was " + perMinute);
    }
    return RateLimit.perMinute(perMinute);
  }

  public static ApiSettings settings(Environment env, RetrySettings retries) {
    Secret key = ApiSettings.secret(env, KEY_VARIABLE, null, "to a Checkly API key (Account settings > API keys)");
    Secret account = ApiSettings.secret(env, ACCOUNT_VARIABLE, null, "to the Checkly account id (Account settings > General)");
    return new ApiSettings("Checkly", ApiSettings.baseUrl(env, URL_VARIABLE, DEFAULT_URL),
        Auth.bearer(key, Map.of("X-Checkly-Account", account)), retries, rate(env),
        "set " + KEY_VARIABLE + " to a valid API key of the account in " + ACCOUNT_VARIABLE, HttpLimits.from(env, "CHECKLY"));
  }
}
