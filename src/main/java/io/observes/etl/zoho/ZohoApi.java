package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.http.ApiSettings;
import io.observes.http.Auth;
import io.observes.http.HttpLimits;
import io.observes.http.CredentialsRejectedException;
import io.observes.http.Query;
import io.observes.http.RateLimit;
import io.observes.http.RetrySettings;
import io.observes.http.Secret;
import io.observes.http.TokenAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.List;

import java.util.Set;

/**
 * Zoho CRM as a source: OAuth with a refresh token ({@code OBSERVES_ZOHO_CLIENT_ID},
 * {@code _CLIENT_SECRET}, {@code _REFRESH_TOKEN}) against the accounts server of the account's data
 * centre ({@code OBSERVES_ZOHO_DC}: com, eu, in, com.au, jp, ca, sa; or the URLs themselves with
 * {@code OBSERVES_ZOHO_ACCOUNTS_URL} and {@code OBSERVES_ZOHO_API_URL}); calls carry
 * {@code Authorization: Zoho-oauthtoken <token>}, renewed before it expires and once on 401. Zoho
 * allows few bulk calls: {@code OBSERVES_ZOHO_REQUESTS_PER_MINUTE} (default 10).
 */
public final class ZohoApi {
  public static final String DC_VARIABLE = "OBSERVES_ZOHO_DC";
  public static final String ACCOUNTS_VARIABLE = "OBSERVES_ZOHO_ACCOUNTS_URL";
  public static final String API_VARIABLE = "OBSERVES_ZOHO_API_URL";
  public static final String RATE_VARIABLE = "OBSERVES_ZOHO_REQUESTS_PER_MINUTE";
  private static final Set<String> DATA_CENTRES = Set.of("com", "eu", "in", "com.au", "jp", "ca", "sa", "com.cn");
  private static final String HINT = "set OBSERVES_ZOHO_CLIENT_ID, OBSERVES_ZOHO_CLIENT_SECRET and OBSERVES_ZOHO_REFRESH_TOKEN "
      + "to a self client's credentials with the ZohoCRM.bulk.read, ZohoCRM.settings.fields.READ and ZohoCRM.users.READ "
      + "scopes, of the data centre in " + DC_VARIABLE;

  /**
   * A bulk read's result is a zip of up to 200,000 records, streamed to a file: far larger than any
   * JSON page, so Zoho's bodies may reach 1 GiB and a call 30 minutes (1 GiB at 600 KB/s).
   */
  static final HttpLimits LIMITS = new HttpLimits(HttpLimits.DEFAULT.readTimeout(), java.time.Duration.ofMinutes(30),
      1024 * HttpLimits.MIB);

  private ZohoApi() {}

  public static ApiClient client(Environment env, RetrySettings retries, HttpClient http, Clock clock) {
    Secret clientId = ApiSettings.secret(env, "OBSERVES_ZOHO_CLIENT_ID", null, "to the Zoho self client's id");
    Secret clientSecret = ApiSettings.secret(env, "OBSERVES_ZOHO_CLIENT_SECRET", null, "to the Zoho self client's secret");
    Secret refresh = ApiSettings.secret(env, "OBSERVES_ZOHO_REFRESH_TOKEN", null, "to a Zoho refresh token of that client");
    String dc = env.getOrDefault(DC_VARIABLE, "com");
    if (!DATA_CENTRES.contains(dc)) {
      throw new ConfigException(DC_VARIABLE + " must be one of " + DATA_CENTRES + " (the domain of the account's Zoho data "
          + "centre), was '" + dc + "'");
    }
    URI accounts = ApiSettings.baseUrl(env, ACCOUNTS_VARIABLE, "https://accounts.zoho." + dc);
    URI api = ApiSettings.baseUrl(env, API_VARIABLE, "https://www.zohoapis." + dc);
    int perMinute = env.integer(RATE_VARIABLE).orElse(10);
    if (perMinute < 1) {
      throw new ConfigException(RATE_VARIABLE + " must be at least 1, was " + perMinute);
    }
    RateLimit rate = RateLimit.perMinute(perMinute);
    HttpLimits limits = HttpLimits.from(env, "ZOHO", LIMITS);
    List<Secret> credentials = List.of(clientId, clientSecret, refresh);
    ApiClient tokens = new ApiClient(new ApiSettings("Zoho accounts", accounts, new Auth() {
      @Override
      public void sign(HttpRequest.Builder request) {}

      @Override
      public List<Secret> secrets() {
        return credentials;
      }
    }, retries, rate, HINT, limits), http, clock);
    TokenAuth auth = new TokenAuth("Authorization", "Zoho-oauthtoken ",
        () -> refresh(tokens, clientId, clientSecret, refresh, api, clock), credentials, clock);
    return new ApiClient(new ApiSettings("Zoho CRM", api, auth, retries, rate, HINT, limits), http, clock);
  }

  /**
   * The refresh-token grant. Zoho answers a refused grant with 200 and {@code {"error": ...}}, so
   * that is read as a rejected credential; a token of another data centre says which one.
   */
  private static TokenAuth.Token refresh(ApiClient tokens, Secret id, Secret secret, Secret refresh, URI api, Clock clock) {
    String query = "oauth/v2/token?refresh_token=" + Query.encode(refresh.reveal()) + "&client_id=" + Query.encode(id.reveal())
        + "&client_secret=" + Query.encode(secret.reveal()) + "&grant_type=refresh_token";
    JsonNode answer = tokens.sendJson("POST", tokens.resolve(query), new byte[0], "refreshing the Zoho access token");
    if (answer.has("error") || !answer.path("access_token").isTextual()) {
      throw new CredentialsRejectedException("Zoho refused the refresh token (" + tokens.quote(answer.path("error").asText("no "
          + "access_token")) + "); " + HINT);
    }
    String domain = answer.path("api_domain").asText("");
    if (!domain.isEmpty() && !domain.equals(api.getScheme() + "://" + api.getAuthority())) {
      throw new ConfigException("the Zoho account lives in the data centre of " + domain + " but the API URL is " + api
          + ": set " + DC_VARIABLE + " (or " + API_VARIABLE + ") to match");
    }
    long seconds = answer.path("expires_in").asLong(3600);
    return new TokenAuth.Token(Secret.of(answer.get("access_token").asText(), "the Zoho access token"),
        clock.instant().plusSeconds(seconds));
  }

}
