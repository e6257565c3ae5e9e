package io.observes.jobs.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * GitLab as the Jobs API documents it (docs.gitlab.com/api/jobs): job objects with their commit,
 * pipeline, runner and user; keyset pages (docs.gitlab.com/api/rest, "Keyset-based pagination":
 * {@code order_by=id&sort=desc}, a cursor in the {@code rel="next"} Link, no counts) and offset
 * pages (X-Page, X-Next-Page, X-Per-Page, X-Total, X-Total-Pages, Link) for an instance without
 * them; 201 for a cancel; {"message": "403 Forbidden"}; the rate limiter's 429.
 */
public final class GitLabFixtures {
  /** A token shaped like a personal access token; the tests assert it is never printed. */
  public static final String TOKEN = "glpat-Xq7vR2mN9sK4tW8yB3cD";
  public static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  public static final String API = "/api/v4";

  private GitLabFixtures() {}

  public static Instant ago(Duration age) {
    return NOW.minus(age);
  }

  /** A job of pipeline 2208 on main; running jobs have a runner and started_at, others not. */
  public static String job(long id, String name, String stage, String status, Instant createdAt) {
    boolean running = "running".equals(status) || "canceled".equals(status);
    String startedAt = running ? "\"" + createdAt.plusSeconds(95) + "\"" : "null";
    String runner = running ? """
        {"id": 32, "description": "shared-runner-eu-1", "ip_address": null, "active": true, "paused": false,
         "is_shared": true, "runner_type": "instance_type", "name": "gitlab-runner", "online": true, "status": "online"}"""
        : "null";
    return """
        {
          "commit": {
            "author_email": "dev@example.com", "author_name": "Dana Developer", "created_at": "2026-03-01T09:12:44.000+01:00",
            "id": "0ff3ae198f8601a285adcf5c0fff204ee6fba5fd", "message": "Load the CRM deals incrementally",
            "short_id": "0ff3ae19", "title": "Load the CRM deals incrementally"
          },
          "coverage": null, "archived": false, "source": "push", "allow_failure": false,
          "created_at": "%s", "started_at": %s, "finished_at": null, "erased_at": null,
          "duration": null, "queued_duration": 12.4,
          "artifacts_file": null, "artifacts": [], "artifacts_expire_at": null,
          "tag_list": ["docker", "observes"],
          "id": %d, "name": "%s",
          "pipeline": {"id": 2208, "iid": 311, "project_id": 4711, "ref": "main",
                       "sha": "0ff3ae198f8601a285adcf5c0fff204ee6fba5fd", "status": "running", "source": "push",
                       "created_at": "2026-03-01T08:12:50.114Z", "updated_at": "2026-03-04T11:58:02.331Z",
                       "web_url": "https://gitlab.example.com/observes/etl-platform/-/pipelines/2208"},
          "ref": "main", "runner": %s, "runner_manager": null, "stage": "%s", "status": "%s", "failure_reason": null,
          "tag": false, "web_url": "https://gitlab.example.com/observes/etl-platform/-/jobs/%d",
          "project": {"ci_job_token_scope_enabled": false},
          "user": {"id": 1, "name": "Dana Developer", "username": "dana", "state": "active", "locked": false,
                   "avatar_url": "https://secure.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon",
                   "web_url": "https://gitlab.example.com/dana", "created_at": "2024-05-21T13:14:24.077Z",
                   "bio": "", "location": "", "public_email": null, "linkedin": "", "twitter": "", "discord": "",
                   "website_url": "", "organization": "", "job_title": "", "pronouns": null, "bot": false,
                   "work_information": null, "followers": 0, "following": 0, "local_time": null}
        }""".formatted(createdAt, startedAt, id, name, runner, stage, status, id);
  }

  /** The keyset list request for {@code page} (its cursor from page 2), as the job sends it, for {@code project} as in the URL. */
  public static MappingBuilder listPage(String encodedProject, int page) {
    MappingBuilder request = list(encodedProject).withQueryParam("pagination", equalTo("keyset"))
        .withQueryParam("order_by", equalTo("id")).withQueryParam("sort", equalTo("desc"));
    return page == 1 ? request.withQueryParam("cursor", absent()) : request.withQueryParam("cursor", equalTo(cursor(page)));
  }

  /** The offset list request for {@code page}, as the job sends it where keyset pages are refused. */
  public static MappingBuilder offsetListPage(String encodedProject, int page) {
    return list(encodedProject).withQueryParam("pagination", absent()).withQueryParam("page", equalTo(Integer.toString(page)));
  }

  private static MappingBuilder list(String encodedProject) {
    return get(urlPathEqualTo(API + "/projects/" + encodedProject + "/jobs"))
        .withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
        .withQueryParam("scope[]", havingExactly("created", "pending", "running"))
        .withQueryParam("include_retried", equalTo("true"))
        .withQueryParam("per_page", equalTo("100"));
  }

  /** The fixture's cursor of keyset page {@code page}: opaque, as GitLab's (base64 of the last row's keys). */
  static String cursor(int page) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"id\":\"page-" + page + "\",\"_kd\":\"n\"}")
        .getBytes(StandardCharsets.UTF_8));
  }

  public static MappingBuilder cancelRequest(String encodedProject, long jobId) {
    return post(urlPathEqualTo(API + "/projects/" + encodedProject + "/jobs/" + jobId + "/cancel"))
        .withHeader("PRIVATE-TOKEN", equalTo(TOKEN));
  }

  /**
   * Keyset page {@code page} of {@code totalPages} holding {@code jobs}: a {@code rel="next"} Link
   * with the next page's cursor while there is one, and none of the offset headers.
   */
  public static ResponseDefinitionBuilder page(String baseUrl, String encodedProject, int page, int totalPages, String... jobs) {
    ResponseDefinitionBuilder answer = aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("[" + String.join(",\n", jobs) + "]");
    if (page < totalPages) {
      answer.withHeader("Link", "<" + baseUrl + API + "/projects/" + encodedProject + "/jobs?include_retried=true&order_by=id"
          + "&pagination=keyset&per_page=100&scope%5B%5D=created&scope%5B%5D=pending&scope%5B%5D=running&sort=desc&cursor="
          + cursor(page + 1) + ">; rel=\"next\"");
    }
    return answer;
  }

  /** Offset page {@code page} of {@code totalPages} holding {@code jobs}, with GitLab's offset-pagination headers. */
  public static ResponseDefinitionBuilder offsetPage(String baseUrl, String encodedProject, int page, int totalPages, int total,
      String... jobs) {
    String link = baseUrl + API + "/projects/" + encodedProject + "/jobs?id=" + encodedProject
        + "&include_retried=true&per_page=100&scope%5B%5D=created&scope%5B%5D=pending&scope%5B%5D=running&page=";
    List<String> links = new ArrayList<>();
    if (page > 1) {
      links.add("<" + link + (page - 1) + ">; rel=\"prev\"");
    }
    if (page < totalPages) {
      links.add("<" + link + (page + 1) + ">; rel=\"next\"");
    }
    links.add("<" + link + 1 + ">; rel=\"first\"");
    links.add("<" + link + totalPages + ">; rel=\"last\"");
    return aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withHeader("X-Page", Integer.toString(page))
        .withHeader("X-Next-Page", page < totalPages ? Integer.toString(page + 1) : "")
        .withHeader("X-Prev-Page", page > 1 ? Integer.toString(page - 1) : "")
        .withHeader("X-Per-Page", "100")
        .withHeader("X-Total", Integer.toString(total))
        .withHeader("X-Total-Pages", Integer.toString(totalPages))
        .withHeader("Link", String.join(", ", links))
        .withBody("[" + String.join(",\n", jobs) + "]");
  }

  /** The answer to a cancel: 201 and the job, now canceled. */
  public static ResponseDefinitionBuilder cancelled(long id, String name, String stage, Instant createdAt) {
    return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
        .withBody(job(id, name, stage, "canceled", createdAt));
  }

  /** A cancel the token's user may not do (e.g. a protected branch's job). */
  public static ResponseDefinitionBuilder forbidden() {
    return aResponse().withStatus(403).withHeader("Content-Type", "application/json").withBody("{\"message\":\"403 Forbidden\"}");
  }

  /** GitLab's rate limiter: 429, a plain-text body and the RateLimit-* headers with Retry-After. */
  public static ResponseDefinitionBuilder rateLimited(String retryAfter) {
    return aResponse().withStatus(429).withHeader("Content-Type", "text/plain")
        .withHeader("RateLimit-Name", "throttle_authenticated_api")
        .withHeader("RateLimit-Limit", "2000")
        .withHeader("RateLimit-Observed", "2001")
        .withHeader("RateLimit-Remaining", "0")
        .withHeader("RateLimit-Reset", "1772625607")
        .withHeader("RateLimit-ResetTime", "Wed, 04 Mar 2026 12:00:07 GMT")
        .withHeader("Retry-After", retryAfter)
        .withBody("Retry later\n");
  }

  public static ResponseDefinitionBuilder serverError() {
    return aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody("{\"message\":\"500 Internal Server Error\"}");
  }
}
