package io.observes.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.function.UnaryOperator;

/**
 * The messages of failed calls, each naming the service and the call (method and path, never the
 * query): what the API said, what broke on the way, what the answer was instead of what the API
 * documents. Text from the API goes through the client's {@code quote} (cleaned, redacted, cut).
 */
final class ApiMessages {
  private ApiMessages() {}

  /**
   * The API's own error text: {@code message} (GitLab, Checkly, Zoho), {@code error_description}
   * (OAuth), {@code error}, else the body itself; quoted.
   */
  static String errorText(String body, UnaryOperator<String> quote) {
    String text = body == null ? "" : body.strip();
    try {
      JsonNode json = ApiJson.MAPPER.readTree(text);
      for (String field : new String[] {"message", "error_description", "error", "code"}) {
        JsonNode value = json == null ? null : json.get(field);
        if (value != null && !value.isNull()) {
          text = value.isTextual() ? value.asText() : value.toString();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not JSON (or JSON Jackson gives up on): quoted as it is
    }
    String quoted = quote.apply(text);
    return quoted.isEmpty() ? "no body" : quoted;
  }

  /** A request to another origin than the API's, refused before it is sent. */
  static String refused(ApiSettings settings, String call, String origin) {
    return settings.service() + ": refused to send " + call + " to " + origin + ", which is not the API's origin "
        + settings.origin() + "; its credentials go nowhere else";
  }

  /** Every attempt failed without an answer: refused, timed out, broken off or stalled. */
  static String failed(String service, String call, int attempts, IOException e, UnaryOperator<String> redact) {
    String lead = e instanceof GuardedBody.Stalled ? service + "'s answer to " + call + " stalled"
        : e instanceof HttpTimeoutException ? service + " did not answer " + call
        : service + " could not be reached for " + call;
    return lead + " in " + attempts + " attempts: " + redact.apply(ApiText.describe(e));
  }

  /** Mostly undecodable: quoting it would fill the message with replacement characters. */
  private static boolean binary(String head) {
    return head.chars().filter(c -> c == '\uFFFD').count() * 10 > head.length();
  }

  /** The answer came but could not be read as what the API documents, or was too large. */
  static String unreadable(ApiSettings settings, String call, String head, IOException e, UnaryOperator<String> quote) {
    String service = settings.service();
    if (e instanceof GuardedBody.TooLarge) {
      return service + "'s answer to " + call + " is " + e.getMessage() + " (" + HttpLimits.variable(HttpLimits.MAX_BODY)
          + ", or per source OBSERVES_<SOURCE>_HTTP_" + HttpLimits.MAX_BODY + ")";
    }
    if (e instanceof JsonItems.NotTheList) {
      return service + " answered " + call + " with a body that is not the documented list: " + quote.apply(e.getMessage());
    }
    if (e instanceof JsonProcessingException || e instanceof JsonItems.NotJson) {
      String why = ApiJson.problem(e);
      String start = binary(head) ? "(" + head.length() + " characters that are not text)" : quote.apply(head);
      return service + " answered " + call + " with something that is not JSON (" + quote.apply(why) + ")"
          + (start.isEmpty() ? "" : ": " + start);
    }
    return service + "'s answer to " + call + " could not be read: " + quote.apply(ApiText.describe(e));
  }
}
