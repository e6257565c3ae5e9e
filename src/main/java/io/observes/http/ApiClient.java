package io.observes.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP client of every API source, on {@code java.net.http}: credentials per source
 * ({@link Auth}, renewed once on 401) sent only to the API's origin, a request budget
 * ({@link RateLimit}), retries of 429, 5xx, connection failures and stalled answers with exponential
 * backoff and jitter, honouring the API's {@code Retry-After}/{@code RateLimit-Reset} up to a cap
 * ({@link RetrySettings}); bounded waits and bodies ({@link HttpLimits}); any other 4xx fails at
 * once with the call and the API's own error text. Credentials stay out of every message:
 * redirects are never followed (a header would travel wherever they point), and text the API sends
 * back is cleaned and stripped of every secret before it is quoted ({@link #quote}). Only
 * idempotent calls are retried here (reads, and writes that are safe to repeat, like a cancel).
 */
public final class ApiClient {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);
  /** Error bodies are quoted, not stored: the first 64 KiB are plenty. */
  private static final int ERROR_BODY_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = ApiJson.MAPPER;

  /** One wait before a retry: which call, after which attempt, why (status, 0 = no answer), how long. */
  public record RetryWait(String what, int failedAttempt, int status, Duration delay) {}

  /** The answer handed over unread: the caller streams it (and closes it). */
  private static final BodyReader<ApiResponse> STREAM = response -> response;

  private final ApiSettings settings;
  private final HttpClient http;
  private final Clock clock;
  private final Consumer<RetryWait> waits;
  private final RateLimiter limiter;

  public ApiClient(ApiSettings settings, HttpClient http, Clock clock) {
    this(settings, http, clock, w -> { });
  }

  /** With {@code waits} told of every wait before a retry (tests, progress). */
  public ApiClient(ApiSettings settings, HttpClient http, Clock clock, Consumer<RetryWait> waits) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.waits = Objects.requireNonNull(waits, "waits");
    if (http.followRedirects() != HttpClient.Redirect.NEVER) {
      // The client would send the credentials wherever a Location points, past every check here.
      throw new IllegalArgumentException("the HTTP client of " + settings.service() + " must not follow redirects");
    }
    this.limiter = settings.rate().limiter(settings.service()).orElse(null);
  }

  /** The HTTP client for production: bounded connect time, no redirects (see the class comment). */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public ApiSettings settings() {
    return settings;
  }

  /** {@code pathAndQuery} (already encoded, no leading slash) under the API root. */
  public URI resolve(String pathAndQuery) {
    return URI.create(settings.baseUrl() + "/" + pathAndQuery);
  }

  /** A GET of {@code pathAndQuery}, its body streamed; {@code what} says in words what the call is for, for messages. */
  public ApiResponse get(String pathAndQuery, String what) {
    return send("GET", resolve(pathAndQuery), null, what);
  }

  public JsonNode getJson(String pathAndQuery, String what) {
    return sendJson("GET", resolve(pathAndQuery), null, what);
  }

  /** A POST with {@code body} as JSON (none when null); its answer as JSON (empty object when empty). */
  public JsonNode postJson(String pathAndQuery, Object body, String what) {
    byte[] bytes;
    try {
      bytes = body == null ? null : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the body of " + what + " as JSON", e);
    }
    return sendJson("POST", resolve(pathAndQuery), bytes, what);
  }

  /** {@code method uri} with {@code body} (JSON, none when null); the answer read as JSON within the attempt. */
  public JsonNode sendJson(String method, URI uri, byte[] body, String what) {
    return exchange(method, uri, body, what, response -> json(response.body()));
  }

  /** The body of a streamed answer as JSON; an answer that is not JSON is an {@link ApiException} quoting its start. */
  public JsonNode readJson(ApiResponse response, String what) {
    try {
      return json(response.body());
    } catch (IOException e) {
      throw unreadable(what + " (" + response.uri().getRawPath() + ")", response.body(), e);
    }
  }

  private static JsonNode json(InputStream body) throws IOException {
    JsonNode node;
    try (var parser = ApiJson.parser(body)) {
      node = JSON.readTree(parser);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new JsonItems.NotJson(e);
    }
    return node == null || node.isMissingNode() ? JSON.createObjectNode() : node;
  }

  /**
   * Sends {@code method uri} (body JSON when not null) with retries, and returns the 2xx answer as a
   * stream, which the caller reads at once (its limits keep running) and closes; every failure is an
   * {@link ApiException}, a rejected credential a {@link CredentialsRejectedException}.
   */
  public ApiResponse send(String method, URI uri, byte[] body, String what) {
    return exchange(method, uri, body, what, STREAM);
  }

  /** Like {@link #send}, with the 2xx answer read by {@code reader} within the attempt (and closed). */
  public <T> T exchange(String method, URI uri, byte[] body, String what, BodyReader<T> reader) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(reader, "reader");
    // The path can hold a secret (a webhook's), so the call is named without any; never the query.
    String call = redact(what + " (" + method + " " + uri.getRawPath() + ")");
    Attempt<T> attempt = withRetries(method, uri, body, call, reader);
    if (attempt.status() == 401 && settings.auth().renew()) {
      LOG.info("{} rejected the credentials while {}; renewed them, trying once more", settings.service(), call);
      attempt = withRetries(method, uri, body, call, reader);
    }
    return answer(attempt, call);
  }

  private <T> T answer(Attempt<T> attempt, String call) {
    int status = attempt.status();
    if (status >= 200 && status <= 299) {
      return attempt.value();
    }
    String message = ApiMessages.errorText(attempt.errorBody(), this::quote);
    if (status == 401) {
      throw new CredentialsRejectedException(settings.service() + " rejected the credentials while " + call + " (401 "
          + message + "); " + settings.credentialsHint());
    }
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
      throw new ApiException(status, settings.service() + " answered " + call + " with a redirect (" + status + ") to "
          + attempt.response().headers().firstValue("Location").map(this::quote).orElse("nowhere")
          + ", which is not followed: credentials would travel with it. Point the API URL at the final address.");
    }
    String tries = retryable(status) ? " in " + attempt.number() + " attempts" : "";
    throw new ApiException(status, settings.service() + " answered " + status + " (" + message + ") to " + call + tries);
  }

  private record Attempt<T>(int number, HttpResponse<InputStream> response, String errorBody, T value) {
    int status() {
      return response.statusCode();
    }
  }

  private <T> Attempt<T> withRetries(String method, URI uri, byte[] body, String call, BodyReader<T> reader) {
    RetrySettings retries = settings.retries();
    int[] number = {0};
    IntervalBiFunction<Attempt<T>> interval = (failed, outcome) -> wait(call, failed, outcome);
    Retry retry = Retry.of(settings.service(), RetryConfig.<Attempt<T>>custom()
        .maxAttempts(retries.maxAttempts())
        .retryOnResult(a -> retryable(a.status()))
        .retryOnException(e -> e instanceof IOException)
        .failAfterMaxAttempts(false)
        .intervalBiFunction(interval)
        .build());
    CheckedSupplier<Attempt<T>> once = () -> attempt(++number[0], method, uri, body, call, reader);
    try {
      return Retry.decorateCheckedSupplier(retry, once).get();
    } catch (IOException e) {
      throw new ApiException(0, ApiMessages.failed(settings.service(), call, number[0], e, this::redact), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, settings.service() + ": interrupted while " + call, e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new ApiException(0, settings.service() + ": " + call + " failed: " + redact(ApiText.describe(e)), e);
    }
  }

  /** The wait before the next attempt: what the API asked for (capped), else the jittered backoff. */
  private <T> long wait(String call, int failed, Either<Throwable, Attempt<T>> outcome) {
    RetrySettings retries = settings.retries();
    Duration backoff = retries.backoff(failed, ThreadLocalRandom.current().nextDouble());
    int status = 0;
    Duration wait = backoff;
    String capped = "";
    if (outcome.isRight()) {
      status = outcome.get().status();
      Optional<Duration> asked = ServerWait.of(outcome.get().response().headers(), clock.instant());
      wait = asked.map(retries::serverWait).orElse(backoff);
      capped = asked.filter(a -> a.compareTo(retries.maxServerWait()) > 0).isPresent() ? ", the longest wait allowed: it asked "
          + "for longer" : "";
    }
    String why = status == 0 ? "failed (" + redact(ApiText.describe(outcome.swap().getOrNull())) + ") for"
        : "answered " + status + " to";
    LOG.warn("{} {} {}; retrying in {} ms{} (attempt {} of {})", settings.service(), why, call, wait.toMillis(), capped,
        failed + 1, retries.maxAttempts());
    waits.accept(new RetryWait(call, failed, status, wait));
    return wait.toMillis();
  }

  private <T> Attempt<T> attempt(int number, String method, URI uri, byte[] body, String call, BodyReader<T> reader)
      throws IOException, InterruptedException {
    if (!settings.origin().holds(uri)) {
      // Checked with every request the credentials are added to, whoever built the URI (a paging
      // link, a cursor, a caller): the credentials of an API go to its origin and nowhere else.
      throw new ApiException(0, ApiMessages.refused(settings, call, redact(Origin.describe(uri))));
    }
    if (limiter != null) {
      RateLimiter.waitForPermission(limiter);
    }
    HttpLimits limits = settings.limits();
    long start = System.nanoTime();
    // java.net.http's request timeout ends when the headers are in; the body is the GuardedBody's.
    Duration headers = limits.readTimeout().compareTo(limits.callTimeout()) < 0 ? limits.readTimeout() : limits.callTimeout();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(headers)
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    settings.auth().sign(request);
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    GuardedBody guarded = GuardedBody.watch(response.body(), limits, start);
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      try (InputStream in = guarded) {
        byte[] head = in.readNBytes((int) Math.min(ERROR_BODY_BYTES, limits.maxBodyBytes()));
        return new Attempt<>(number, response, new String(head, StandardCharsets.UTF_8), null);
      }
    }
    ApiResponse answer = new ApiResponse(status, response.uri(), response.headers(), guarded);
    if (reader == STREAM) {
      return new Attempt<>(number, response, null, reader.read(answer));
    }
    try (answer) {
      return new Attempt<>(number, response, null, reader.read(answer));
    } catch (IOException e) {
      if (guarded.failed() && !(e instanceof GuardedBody.TooLarge)) {
        throw e;
      }
      throw unreadable(call, guarded, e);
    }
  }

  /** The reader's failure, or a body past its limit: the call's own error, not retried. */
  private ApiException unreadable(String call, InputStream body, IOException e) {
    String head = body instanceof GuardedBody g ? new String(g.head(), StandardCharsets.UTF_8) : "";
    return new ApiException(0, ApiMessages.unreadable(settings, call, head, e, this::quote), e);
  }

  static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /** {@code text} without any secret of this source. */
  public String redact(String text) {
    String out = text == null ? "" : text;
    for (Secret secret : settings.auth().secrets()) {
      out = secret.redact(out);
    }
    return out;
  }

  /**
   * Text the API sent, fit for a message: cleaned of control characters, without secrets, without
   * Java class names, cut to {@link ApiText#QUOTED_CHARACTERS} (in that order: see {@link ApiText}).
   */
  public String quote(String serverText) {
    return ApiText.cut(ApiText.withoutClassNames(redact(ApiText.clean(serverText))), ApiText.QUOTED_CHARACTERS);
  }
}
