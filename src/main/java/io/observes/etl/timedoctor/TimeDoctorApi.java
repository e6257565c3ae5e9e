package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.ApiSettings;
import io.observes.http.Auth;
import io.observes.http.HttpLimits;
import io.observes.http.RateLimit;
import io.observes.http.RetrySettings;
import io.observes.http.Secret;
import io.observes.http.TokenAuth;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * TimeDoctor's API 1.0 as a source: its root ({@code OBSERVES_TIMEDOCTOR_URL}, default
 * api2.timedoctor.com), a login with {@code OBSERVES_TIMEDOCTOR_EMAIL} / {@code _PASSWORD} whose
 * token travels as {@code Authorization: JWT <token>} and is fetched again once when rejected.
 */
public final class TimeDoctorApi {
  public static final String URL_VARIABLE = "OBSERVES_TIMEDOCTOR_URL";
  public static final String EMAIL_VARIABLE = "OBSERVES_TIMEDOCTOR_EMAIL";
  public static final String PASSWORD_VARIABLE = "OBSERVES_TIMEDOCTOR_PASSWORD";
  public static final String DEFAULT_URL = "https://api2.timedoctor.com/api/1.0";
  private static final RateLimit RATE = RateLimit.perMinute(300);
  private static final String HINT = "set " + EMAIL_VARIABLE + " and " + PASSWORD_VARIABLE
      + " to a TimeDoctor user that may read the company's worklogs";

  private TimeDoctorApi() {}

  /** A client that logs in on first use. */
  public static ApiClient client(Environment env, RetrySettings retries, HttpClient http, Clock clock) {
    Secret email = ApiSettings.secret(env, EMAIL_VARIABLE, null, "to the e-mail of the TimeDoctor user the ETL reads as");
    Secret password = ApiSettings.secret(env, PASSWORD_VARIABLE, null, "to that user's password");
    java.net.URI base = ApiSettings.baseUrl(env, URL_VARIABLE, DEFAULT_URL);
    HttpLimits limits = HttpLimits.from(env, "TIMEDOCTOR");
    ApiClient login = new ApiClient(new ApiSettings("TimeDoctor", base, new Auth() {
      @Override
      public void sign(java.net.http.HttpRequest.Builder request) {}

      @Override
      public List<Secret> secrets() {
        return List.of(email, password);
      }
    }, retries, RATE, HINT, limits), http, clock);
    TokenAuth auth = new TokenAuth("Authorization", "JWT ", () -> login(login, email, password), List.of(email, password));
    return new ApiClient(new ApiSettings("TimeDoctor", base, auth, retries, RATE, HINT, limits), http, clock);
  }

  private static Secret login(ApiClient login, Secret email, Secret password) {
    JsonNode answer = login.postJson("login", Map.of("email", email.reveal(), "password", password.reveal(), "totpCode", "",
        "permissions", "read"), "logging in to TimeDoctor");
    JsonNode token = answer.path("data").path("token");
    if (!token.isTextual() || token.asText().isBlank()) {
      throw new ApiException(0, "TimeDoctor answered the login without data.token");
    }
    return Secret.of(token.asText(), "the TimeDoctor token");
  }
}
