package io.observes.alert;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.ApiSettings;
import io.observes.http.Auth;
import io.observes.http.HttpLimits;
import io.observes.http.RateLimit;
import io.observes.http.RetrySettings;
import io.observes.http.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one alerting path of every job: a JSON POST {@code {"text": ...}} to a Slack-compatible
 * incoming webhook ({@code OBSERVES_ALERT_WEBHOOK}), over the shared HTTP client (retried a few
 * times). The URL is a secret (whoever has it can post to the channel): it never appears in a
 * message, an exception or {@link #toString}. Posting never fails the job that alerts: it says
 * whether the alert went out.
 */
public final class AlertWebhook {
  public static final String VARIABLE = "OBSERVES_ALERT_WEBHOOK";
  /** A few attempts: an alert is worth a short wait, not a long one. */
  static final int ATTEMPTS = 3;

  private final ApiClient client;
  private final URI url;

  private AlertWebhook(ApiClient client, URI url) {
    this.client = client;
    this.url = url;
  }

  /** The webhook configured in {@code env}, if any; a malformed one is a configuration error without the URL. */
  public static Optional<AlertWebhook> from(Environment env, RetrySettings retries, HttpClient http, Clock clock) {
    Optional<String> value = env.get(VARIABLE);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    URI url;
    try {
      url = new URI(value.get().trim());
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null) {
        throw new URISyntaxException("<hidden>", "not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(VARIABLE + " must be the https:// URL of a Slack-compatible incoming webhook, or unset");
    }
    Secret whole = Secret.of(url.toString(), VARIABLE);
    List<Secret> secrets = url.getRawPath() == null || url.getRawPath().length() <= 1 ? List.of(whole)
        : List.of(whole, Secret.of(url.getRawPath(), VARIABLE));
    Auth hidden = new Auth() {
      @Override
      public void sign(HttpRequest.Builder request) {}

      @Override
      public List<Secret> secrets() {
        return secrets;
      }
    };
    RetrySettings few = new RetrySettings(Math.min(ATTEMPTS, retries.maxAttempts()), retries.baseDelay(), retries.maxDelay(),
        retries.maxServerWait());
    ApiSettings settings = new ApiSettings("the webhook in " + VARIABLE, URI.create(url.getScheme() + "://" + url.getRawAuthority()),
        hidden, few, RateLimit.NONE, "set " + VARIABLE + " to the channel's current incoming-webhook URL",
        HttpLimits.from(env, "ALERT"));
    return Optional.of(new AlertWebhook(new ApiClient(settings, http, clock), url));
  }

  /**
   * Posts {@code text}, plain text that may hold anything from data: it is escaped for Slack
   * ({@link SlackText}), so it shows as written and cannot ping, mention or link. Empty when the
   * webhook took it, else why not (without the URL).
   */
  public Optional<String> post(String text) {
    Objects.requireNonNull(text, "text");
    byte[] body = io.observes.http.ApiJson.MAPPER.createObjectNode().put("text", SlackText.escape(text)).toString()
        .getBytes(StandardCharsets.UTF_8);
    try (var response = client.send("POST", url, body, "posting an alert")) {
      return Optional.empty();
    } catch (ApiException | ConfigException e) {
      return Optional.of(client.redact(e.getMessage()));
    }
  }

  @Override
  public String toString() {
    return "AlertWebhook[" + VARIABLE + ", ****]";
  }

}
