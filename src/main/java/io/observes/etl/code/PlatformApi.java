package io.observes.etl.code;

import io.observes.config.Environment;
import io.observes.http.ApiSettings;
import io.observes.http.Auth;
import io.observes.http.HttpLimits;
import io.observes.http.RateLimit;
import io.observes.http.RetrySettings;
import io.observes.http.Secret;
import java.util.Map;

/**
 * The platform's (Integrates') GraphQL API: its URL ({@code OBSERVES_INTEGRATES_API_URL}) and an API
 * token ({@code OBSERVES_PLATFORM_API_TOKEN}) sent as a bearer token.
 */
public final class PlatformApi {
  public static final String URL_VARIABLE = "OBSERVES_INTEGRATES_API_URL";
  public static final String TOKEN_VARIABLE = "OBSERVES_PLATFORM_API_TOKEN";
  public static final String DEFAULT_URL = "https://app.fluidattacks.com/api";

  private PlatformApi() {}

  public static ApiSettings settings(Environment env, RetrySettings retries) {
    Secret token = ApiSettings.secret(env, TOKEN_VARIABLE, null, "to a platform API token that may read groups");
    return new ApiSettings("the platform API", ApiSettings.baseUrl(env, URL_VARIABLE, DEFAULT_URL),
        Auth.bearer(token, Map.of()), retries, RateLimit.perMinute(300),
        "set " + TOKEN_VARIABLE + " to a valid platform API token", HttpLimits.from(env, "PLATFORM"));
  }
}
