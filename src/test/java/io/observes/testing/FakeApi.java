package io.observes.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.Objects;

/**
 * A third-party API faked behind WireMock as a response transformer: a stub that names the fake
 * ({@code withTransformers(name)}) is answered by it, so the fake can honour the query parameters,
 * paging and authentication the real API documents; stubs of a higher priority still inject errors.
 */
public abstract class FakeApi implements ResponseDefinitionTransformerV2 {
  protected static final ObjectMapper JSON = new ObjectMapper();
  private final String name;

  protected FakeApi(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public final String getName() {
    return name;
  }

  @Override
  public final boolean applyGlobally() {
    return false;
  }

  /** The first value of a query parameter, or null. */
  protected static String param(Request request, String name) {
    QueryParameter p = request.queryParameter(name);
    return p == null || !p.isPresent() ? null : p.firstValue();
  }

  /** The request's path, without its query. */
  protected static String path(Request request) {
    String url = request.getUrl();
    return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
  }

  /** A fixture's JSON text, parsed (a malformed fixture is the test's own error). */
  protected static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  protected static ResponseDefinition json(int status, String body) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body).build();
  }
}
