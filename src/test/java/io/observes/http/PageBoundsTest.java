package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.config.Environment;
import io.observes.testing.TestRetries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A list walk ends: a next page it has already read is a loop, and a list longer than the bound on
 * pages is a paging fault; both are errors naming the service, found before the extra request.
 */
class PageBoundsTest {
  static final Duration BOUND = Duration.ofSeconds(20);

  WireMockServer api;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  ApiClient client(HttpLimits limits) {
    return client("GitLab", limits);
  }

  ApiClient client(String service, HttpLimits limits) {
    return new ApiClient(new ApiSettings(service, URI.create("http://127.0.0.1:" + api.port() + "/api/v4"), Auth.none(),
        TestRetries.FAST, RateLimit.NONE, "-", limits), ApiClient.defaultHttpClient(), Clock.systemUTC());
  }

  /** A cursor page of {@code /api/v4/results}: answered to the request carrying {@code nextId=cursor} (null: none). */
  void cursorPage(String cursor, String body) {
    var request = get(urlPathEqualTo("/api/v4/results")).withQueryParam("from", equalTo("100"));
    request = cursor == null ? request.withQueryParam("nextId", com.github.tomakehurst.wiremock.client.WireMock.absent())
        : request.withQueryParam("nextId", equalTo(cursor));
    api.stubFor(request.willReturn(aResponse().withBody(body)));
  }

  ApiException walk(ApiClient client, String first, NextPage next) {
    return assertTimeoutPreemptively(BOUND, () -> catchThrowableOfType(() -> new PageWalk(client, client.resolve(first),
        "listing jobs", null, next, p -> true).forEachRemaining(n -> { }), ApiException.class));
  }

  void page(int page, String link) {
    api.stubFor(get(urlPathEqualTo("/api/v4/jobs")).withQueryParam("page", equalTo(Integer.toString(page)))
        .willReturn(aResponse().withHeader("Link", "<" + link + ">; rel=\"next\"").withBody("[{\"id\": " + page + "}]")));
  }

  @Test
  void aNextLinkBackToAPageAlreadyReadIsALoop() {
    String base = "http://127.0.0.1:" + api.port() + "/api/v4/jobs";
    page(1, base + "?page=2");
    page(2, base + "?page=3");
    page(3, "/api/v4/./jobs?page=2");

    ApiException e = walk(client(HttpLimits.DEFAULT), "jobs?page=1", NextPage.link());

    assertThat(e).hasMessage("GitLab's paging of listing jobs (page 3) leads back to page 2, already read: a loop, not a list");
    api.verify(3, getRequestedFor(urlPathEqualTo("/api/v4/jobs")));
  }

  @Test
  void aPageThatLinksToItselfIsALoop() {
    page(1, "jobs?page=1");

    assertThat(walk(client(HttpLimits.DEFAULT), "jobs?page=1", NextPage.link())).hasMessageContaining("GitLab")
        .hasMessageContaining("leads back to page 1");
    api.verify(1, getRequestedFor(urlPathEqualTo("/api/v4/jobs")));
  }

  @Test
  void aListThatNeverEndsStopsAtTheBoundOnPages() {
    // Every page full, and X-Next-Page always one more: nothing repeats, nothing ends.
    api.stubFor(get(urlPathEqualTo("/api/v4/jobs")).willReturn(aResponse().withBody("[{\"id\": 1}, {\"id\": 2}]")));
    Environment env = new Environment(Map.of("OBSERVES_GITLAB_HTTP_MAX_PAGES", "25"));

    ApiException e = walk(client(HttpLimits.from(env, "GITLAB")), "jobs?per_page=2&page=1", NextPage.whileFull("page", 2));

    assertThat(e).hasMessage("GitLab's paging of listing jobs (page 25) goes on past 25 pages, the most a walk may read "
        + "(OBSERVES_HTTP_MAX_PAGES, or per source OBSERVES_<SOURCE>_HTTP_MAX_PAGES): a paging fault, not a list");
    api.verify(25, getRequestedFor(urlPathEqualTo("/api/v4/jobs")));
  }

  @Test
  void aListOfExactlyTheBoundIsRead() {
    api.stubFor(get(urlPathEqualTo("/api/v4/jobs")).willReturn(aResponse().withBody("[{\"id\": 1}, {\"id\": 2}]")));
    api.stubFor(get(urlPathEqualTo("/api/v4/jobs")).withQueryParam("page", equalTo("3"))
        .willReturn(aResponse().withBody("[{\"id\": 5}]")));
    PageWalk walk = new PageWalk(client(HttpLimits.DEFAULT.withMaxPages(3)), client(HttpLimits.DEFAULT).resolve("jobs?page=1"),
        "listing jobs", null, NextPage.whileFull("page", 2), p -> true);

    assertThat(walk.stream().count()).isEqualTo(5);
    assertThat(walk.complete()).isTrue();
  }

  @Test
  void aCursorWalkAsksTheSameQueryFromEachCursorUntilTheCursorIsNull() {
    cursorPage(null, "{\"length\": 2, \"entries\": [{\"id\": 1}, {\"id\": 2}], \"nextId\": \"c/2+\"}");
    cursorPage("c/2+", "{\"length\": 0, \"entries\": [], \"nextId\": \"c3\"}");
    cursorPage("c3", "{\"length\": 1, \"entries\": [{\"id\": 3}], \"nextId\": null}");
    ApiClient client = client("Checkly", HttpLimits.DEFAULT);
    PageWalk walk = new PageWalk(client, client.resolve("results?limit=2&from=100"), "listing results", "entries",
        NextPage.cursor("nextId", "nextId"), p -> true);

    assertThat(walk.stream().map(n -> n.get("id").asInt())).containsExactly(1, 2, 3);
    assertThat(walk.complete()).isTrue();
    assertThat(walk.lastPage().orElseThrow().listed()).isTrue();
    // The empty page in the middle is not the end: only a null cursor is.
    api.verify(3, getRequestedFor(urlPathEqualTo("/api/v4/results")).withQueryParam("limit", equalTo("2")));
  }

  @Test
  void aCursorSeenTwiceIsALoop() {
    cursorPage(null, "{\"length\": 1, \"entries\": [{\"id\": 1}], \"nextId\": \"a\"}");
    cursorPage("a", "{\"length\": 1, \"entries\": [{\"id\": 2}], \"nextId\": \"b\"}");
    cursorPage("b", "{\"length\": 1, \"entries\": [{\"id\": 3}], \"nextId\": \"a\"}");
    ApiClient client = client("Checkly", HttpLimits.DEFAULT);

    ApiException e = assertTimeoutPreemptively(BOUND, () -> catchThrowableOfType(() -> new PageWalk(client,
        client.resolve("results?limit=1&from=100"), "listing results", "entries", NextPage.cursor("nextId", "nextId"),
        p -> true).forEachRemaining(n -> { }), ApiException.class));

    assertThat(e).hasMessage("Checkly's paging of listing results (page 3) leads back to page 2, already read: a loop, not a list");
    api.verify(3, getRequestedFor(urlPathEqualTo("/api/v4/results")));
  }

  @Test
  void aCursorThatIsNotAStringCannotBeFollowedAndAnAbsentListIsTold() {
    cursorPage(null, "{\"length\": 3, \"nextId\": 17}");
    ApiClient client = client("Checkly", HttpLimits.DEFAULT);
    PageWalk walk = new PageWalk(client, client.resolve("results?limit=1&from=100"), "listing results", "entries",
        NextPage.cursor("nextId", "nextId"), p -> true);

    assertThat(catchThrowableOfType(() -> walk.forEachRemaining(n -> { }), ApiException.class))
        .hasMessage("Checkly's paging of listing results (page 1) cannot be followed: the cursor 'nextId' of /api/v4/results "
            + "is not a non-empty string: 17");
    // No "entries" at all: no items, and the page says so (an empty list would be listed).
    assertThat(walk.lastPage().orElseThrow().items()).isEmpty();
    assertThat(walk.lastPage().orElseThrow().listed()).isFalse();
  }
}
