package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.testing.TestRetries;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Credentials go only to the API's origin (scheme, host and port of its base URL): a paging link
 * elsewhere is refused before any request, and so is any request the client is asked to send
 * elsewhere; redirects are not followed. Two WireMock servers on 127.0.0.1: the port makes the
 * other one another origin.
 */
class CredentialOriginTest {
  static final String TOKEN = "glpat-Zq8vN3xK5mT2wR7yB4cD";

  WireMockServer api;
  WireMockServer other;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    other = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    other.start();
    other.stubFor(get(anyUrl()).willReturn(aResponse().withBody("[{\"id\": \"stolen\"}]")));
  }

  @AfterEach
  void stop() {
    api.stop();
    other.stop();
  }

  ApiClient client() {
    return new ApiClient(new ApiSettings("GitLab", URI.create("http://127.0.0.1:" + api.port() + "/api/v4"),
        Auth.headers(Map.of("Private-Token", Secret.of(TOKEN, "OBSERVES_GITLAB_TOKEN"))), TestRetries.FAST, RateLimit.NONE,
        "set OBSERVES_GITLAB_TOKEN"), ApiClient.defaultHttpClient(), Clock.systemUTC());
  }

  void firstPageLinksTo(String next) {
    api.stubFor(get(urlPathEqualTo("/api/v4/projects/1/jobs")).willReturn(aResponse()
        .withHeader("Link", "<" + next + ">; rel=\"next\", <http://127.0.0.1:" + api.port() + "/api/v4/projects/1/jobs?page=1>; "
            + "rel=\"first\"")
        .withBody("[{\"id\": \"job-1\"}]")));
  }

  List<String> walk() {
    ApiClient client = client();
    PageWalk walk = new PageWalk(client, client.resolve("projects/1/jobs?page=1"), "listing jobs", null, NextPage.link(),
        p -> true);
    List<String> ids = new ArrayList<>();
    walk.forEachRemaining(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://127.0.0.1:OTHER/steal?page=2",
      "//127.0.0.1:OTHER/steal?page=2",
      "HTTP://127.0.0.1:OTHER/api/v4/projects/1/jobs?page=2",
  })
  void aNextLinkToAnotherOriginIsRefusedAndGetsNoRequest(String link) {
    firstPageLinksTo(link.replace("OTHER", Integer.toString(other.port())));

    assertThatThrownBy(this::walk).isInstanceOf(ApiException.class)
        .hasMessageContaining("GitLab").hasMessageContaining("listing jobs")
        .hasMessageContaining("http://127.0.0.1:" + other.port())
        .hasMessageNotContaining(TOKEN);
    other.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void aNextLinkOnTheSameHostButAnotherSchemeOrPortIsAnotherOrigin() {
    firstPageLinksTo("https://127.0.0.1:" + api.port() + "/api/v4/projects/1/jobs?page=2");
    assertThatThrownBy(this::walk).isInstanceOf(ApiException.class).hasMessageContaining("https://127.0.0.1:" + api.port());

    api.resetAll();
    firstPageLinksTo("http://127.0.0.1:" + (api.port() == 65535 ? 1 : api.port() + 1) + "/api/v4/projects/1/jobs?page=2");
    assertThatThrownBy(this::walk).isInstanceOf(ApiException.class).hasMessageContaining("GitLab");
  }

  @Test
  void aRelativeOrEquivalentNextLinkIsResolvedAgainstThePageAndFollowed() {
    api.stubFor(get(urlPathEqualTo("/api/v4/projects/1/jobs")).willReturn(aResponse()
        .withHeader("Link", "</api/v4/projects/1/jobs?page=2>; rel=\"next\"").withBody("[{\"id\": \"job-1\"}]")));
    api.stubFor(get(urlPathEqualTo("/api/v4/projects/1/jobs")).withQueryParam("page", equalTo("2")).willReturn(aResponse()
        .withHeader("Link", "<jobs?page=3>; rel=\"next\"").withBody("[{\"id\": \"job-2\"}]")));
    api.stubFor(get(urlPathEqualTo("/api/v4/projects/1/jobs")).withQueryParam("page", equalTo("3")).willReturn(aResponse()
        .withHeader("Link", "<HTTP://127.0.0.1:" + api.port() + "/api/v4/projects/1/jobs?page=4>; rel=\"next\"")
        .withBody("[{\"id\": \"job-3\"}]")));
    api.stubFor(get(urlPathEqualTo("/api/v4/projects/1/jobs")).withQueryParam("page", equalTo("4"))
        .willReturn(aResponse().withBody("[{\"id\": \"job-4\"}]")));

    assertThat(walk()).containsExactly("job-1", "job-2", "job-3", "job-4");
    api.verify(4, getRequestedFor(urlPathEqualTo("/api/v4/projects/1/jobs")).withHeader("Private-Token", equalTo(TOKEN)));
  }

  @Test
  void noRequestWithCredentialsLeavesForAnotherOriginWhateverTheCaller() {
    ApiClient client = client();
    URI elsewhere = URI.create("http://127.0.0.1:" + other.port() + "/api/v4/projects");

    assertThatThrownBy(() -> client.send("GET", elsewhere, null, "listing projects")).isInstanceOf(ApiException.class)
        .hasMessageContaining("GitLab").hasMessageContaining("http://127.0.0.1:" + other.port()).hasMessageNotContaining(TOKEN);
    other.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void aRedirectToAnotherOriginIsNotFollowed() {
    api.stubFor(get(urlPathEqualTo("/api/v4/projects")).willReturn(aResponse().withStatus(302)
        .withHeader("Location", "http://127.0.0.1:" + other.port() + "/api/v4/projects")));

    assertThatThrownBy(() -> client().getJson("projects", "listing projects")).isInstanceOf(ApiException.class)
        .hasMessageContaining("GitLab answered listing projects (GET /api/v4/projects) with a redirect (302)");
    other.verify(0, anyRequestedFor(anyUrl()));
    api.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void aClientThatFollowsRedirectsIsRefused() {
    HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    ApiSettings settings = client().settings();

    assertThatThrownBy(() -> new ApiClient(settings, following, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirect");
  }

  @Test
  void originsCompareSchemeHostAndPortWithDefaultPorts() {
    Origin https = Origin.of(URI.create("https://GitLab.example.com/api/v4")).orElseThrow();
    assertThat(Origin.of(URI.create("https://gitlab.example.com:443/x?page=2"))).contains(https);
    assertThat(Origin.of(URI.create("http://gitlab.example.com/api/v4"))).isNotEqualTo(java.util.Optional.of(https));
    assertThat(Origin.of(URI.create("https://gitlab.example.com:8443/api/v4"))).isNotEqualTo(java.util.Optional.of(https));
    assertThat(Origin.of(URI.create("https://gitlab.example.com@evil.example/api/v4"))).isNotEqualTo(java.util.Optional.of(https));
    assertThat(Origin.of(URI.create("/api/v4"))).isEmpty();
    assertThat(Origin.of(URI.create("mailto:a@gitlab.example.com"))).isEmpty();
    assertThat(https).hasToString("https://gitlab.example.com:443");
  }

}
