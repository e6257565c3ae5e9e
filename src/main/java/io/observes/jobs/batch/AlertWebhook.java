package io.observes.jobs.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;

/**
 * Posts an alert to a Slack-compatible incoming webhook: {@code {"text": "..."}} as JSON. The URL
 * is a secret (whoever has it can post to the channel), so it never appears in a message, an
 * exception or {@link #toString}: errors name the variable it came from instead.
 */
public final class AlertWebhook {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_BODY_IN_ERROR = 200;

  private final URI url;
  private final String source;
  private final HttpClient http;

  private AlertWebhook(URI url, String source) {
    this.url = url;
    this.source = source;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * The webhook at {@code url}; {@code source} names where the URL came from (an environment
   * variable) for messages. Throws IllegalArgumentException, without the URL, when it is not http(s).
   */
  public static AlertWebhook at(String url, String source) {
    Objects.requireNonNull(source, "source");
    try {
      URI uri = new URI(Objects.requireNonNull(url, "url").trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw new URISyntaxException("<hidden>", "not an http(s) URL with a host");
      }
      return new AlertWebhook(uri, source);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + " must be the https:// URL of a Slack-compatible incoming webhook");
    }
  }

  /** Thrown when the alert was not accepted; the message never contains the URL. */
  public static final class AlertFailedException extends Exception {
    AlertFailedException(String message) {
      super(message);
    }
  }

  public void post(String text) throws AlertFailedException {
    String body;
    try {
      body = new ObjectMapper().writeValueAsString(Map.of("text", text));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AlertFailedException("the webhook in " + source + " could not be reached (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + hidden(e.getMessage())) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertFailedException("interrupted while posting to the webhook in " + source);
    }
    if (response.statusCode() / 100 != 2) {
      String answer = response.body() == null ? "" : response.body().strip();
      if (answer.length() > MAX_BODY_IN_ERROR) {
        answer = answer.substring(0, MAX_BODY_IN_ERROR) + " [...]";
      }
      throw new AlertFailedException("the webhook in " + source + " answered HTTP " + response.statusCode()
          + (answer.isEmpty() ? "" : " " + hidden(answer)));
    }
  }

  /** {@code message} with the URL and its path (where a webhook's secret lives) taken out. */
  private String hidden(String message) {
    String clean = message.replace(url.toString(), "<webhook>");
    String path = url.getRawPath();
    return path == null || path.length() <= 1 ? clean : clean.replace(path, "<webhook path>");
  }

  @Override
  public String toString() {
    return "AlertWebhook[" + source + ", ****]";
  }
}
