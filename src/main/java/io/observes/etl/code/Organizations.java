package io.observes.etl.code;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The organization of each group, asked of the platform's GraphQL API once per group and run:
 * {@code group(groupName) { organization }}. GraphQL reports errors in a 200 answer's
 * {@code errors}; those fail the run naming the group, never a guess.
 */
final class Organizations {
  private static final String QUERY = "query ObservesBillingGroup($name: String!) { group(groupName: $name) { organization } }";

  private final ApiClient api;
  private final Map<String, String> known = new HashMap<>();

  Organizations(ApiClient api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  String of(String group) {
    return known.computeIfAbsent(group, this::ask);
  }

  private String ask(String group) {
    String what = "asking the organization of group " + group;
    URI uri = api.settings().baseUrl();
    JsonNode answer = api.sendJson("POST", uri, body(group), what);
    JsonNode errors = answer.path("errors");
    if (errors.isArray() && !errors.isEmpty()) {
      throw new ApiException(0, "the platform API answered " + what + " with an error: "
          + api.quote(errors.get(0).path("message").asText(errors.get(0).toString())));
    }
    JsonNode organization = answer.path("data").path("group").path("organization");
    if (!organization.isTextual() || organization.asText().isBlank()) {
      throw new ApiException(0, "the platform API answered " + what + " without an organization: "
          + api.quote(answer.toString()));
    }
    return organization.asText();
  }

  private static byte[] body(String group) {
    return io.observes.http.ApiJson.MAPPER.createObjectNode().put("query", QUERY)
        .set("variables", io.observes.http.ApiJson.MAPPER.createObjectNode().put("name", group)).toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
