package io.observes.jobs.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.observes.config.ConfigException;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The few calls of GitLab's REST API (v4) Observes makes, over {@code java.net.http}. It
 * authenticates with the {@code PRIVATE-TOKEN} header and keeps the token out of every message: it
 * never follows redirects (the header would travel to wherever they point) and strips the token
 * from any text GitLab sends back before quoting it. A 401 is a {@link ConfigException}: the token
 * is wrong, and only a new one helps.
 */
public final class GitLabClient {
  /** The largest page GitLab serves: fewer requests, fewer chances for the offset pages to shift. */
  static final int PER_PAGE = 100;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final GitLabSettings settings;
  private final RetryingHttp http;

  public GitLabClient(GitLabSettings settings, HttpClient http, RetryPolicy retries, Pause pause, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = new RetryingHttp(http, retries, pause, clock);
  }

  /** The HTTP client for production: bounded connect time, no redirects (see the class comment). */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * Every job of {@code project} whose status is one of {@code scopes}, retried jobs included,
   * following {@code X-Next-Page} until it is empty (or a page is). Offset pages shift when jobs start
   * or finish meanwhile, so a job seen twice is returned once.
   */
  public List<GitLabJob> jobs(ProjectId project, List<String> scopes) {
    Objects.requireNonNull(project, "project");
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("name at least one scope; without one GitLab lists every job ever run");
    }
    String query = scopes.stream().map(s -> "scope%5B%5D=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")) + "&include_retried=true&per_page=" + PER_PAGE;
    Map<Long, GitLabJob> jobs = new LinkedHashMap<>();
    int page = 1;
    while (true) {
      String what = "listing the jobs of project " + project + " (page " + page + ")";
      HttpResponse<String> response = call("GET", "projects/" + project.pathSegment() + "/jobs?" + query + "&page=" + page, what);
      JsonNode body = parse(response, what);
      if (!body.isArray()) {
        throw new GitLabException(0, "GitLab answered " + what + " with " + abbreviate(body.toString()) + " instead of a list of jobs");
      }
      if (body.isEmpty()) {
        break;
      }
      body.forEach(node -> {
        GitLabJob job = GitLabJob.fromJson(node, what);
        jobs.putIfAbsent(job.id(), job);
      });
      String next = response.headers().firstValue("X-Next-Page").orElse("").strip();
      if (next.isEmpty()) {
        break;
      }
      page = nextPage(next, page, what);
    }
    return List.copyOf(jobs.values());
  }

  /** Cancels one job; returns it as GitLab reports it afterwards (status canceling or canceled). */
  public GitLabJob cancel(ProjectId project, long jobId) {
    Objects.requireNonNull(project, "project");
    String what = "cancelling job " + jobId + " of project " + project;
    HttpResponse<String> response = call("POST", "projects/" + project.pathSegment() + "/jobs/" + jobId + "/cancel", what);
    return GitLabJob.fromJson(parse(response, what), what);
  }

  private static int nextPage(String header, int page, String what) {
    try {
      int next = Integer.parseInt(header);
      if (next > page) {
        return next;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new GitLabException(0, "GitLab answered " + what + " with X-Next-Page '" + header + "'; expected a page after " + page);
  }

  private HttpResponse<String> call(String method, String pathAndQuery, String what) {
    HttpRequest request = HttpRequest.newBuilder(settings.resolve(pathAndQuery))
        .timeout(REQUEST_TIMEOUT)
        .header("PRIVATE-TOKEN", settings.token())
        .header("Accept", "application/json")
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<String> response = http.send(request, what);
    int status = response.statusCode();
    if (status == 401) {
      throw new ConfigException("GitLab rejected the token while " + what + " (401 " + message(response) + "); set "
          + GitLabSettings.TOKEN_VARIABLE + " (or " + GitLabSettings.FALLBACK_TOKEN_VARIABLE + ") to a valid token with the 'api' scope");
    }
    if (status < 200 || status > 299) {
      throw new GitLabException(status, "GitLab answered " + status + " (" + message(response) + ") to " + what);
    }
    return response;
  }

  private JsonNode parse(HttpResponse<String> response, String what) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new GitLabException(0, "GitLab answered " + what + " with something that is not JSON: " + abbreviate(redact(response.body())));
    }
  }

  /** GitLab's error text: {"message": ...} or {"error": ...}, else the body itself, shortened and without the token. */
  private String message(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body().strip();
    try {
      JsonNode json = JSON.readTree(body);
      JsonNode text = json.has("message") ? json.get("message") : json.path("error");
      if (!text.isMissingNode()) {
        body = text.isTextual() ? text.asText() : text.toString();
      }
    } catch (IOException e) {
      // not JSON: quote it as it is
    }
    return abbreviate(redact(body.isEmpty() ? "no body" : body));
  }

  private String redact(String text) {
    return text == null ? "" : text.replace(settings.token(), "<redacted>");
  }

  static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
