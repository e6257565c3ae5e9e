package io.observes.jobs.gitlab;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request and retries it when GitLab throttles (429), fails on its side (5xx) or cannot be
 * reached, as {@link RetryPolicy} says; a Retry-After header (seconds or an HTTP date) wins over the
 * backoff, because GitLab's rate limiter knows when its window reopens. Only idempotent calls go
 * through here: a list, or a cancel, which cancels a job that is already cancelling no further.
 */
final class RetryingHttp {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingHttp.class);

  private final HttpClient http;
  private final RetryPolicy policy;
  private final Pause pause;
  private final Clock clock;

  RetryingHttp(HttpClient http, RetryPolicy policy, Pause pause, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The first response that is not worth retrying, or the last one when every attempt was; {@code what}
   * names the call in logs and errors (it must not contain the token, which only travels in a header).
   */
  HttpResponse<String> send(HttpRequest request, String what) {
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (!retryable(status) || attempt == policy.maxAttempts()) {
          return response;
        }
        int failed = attempt;
        wait = retryAfter(response.headers(), clock.instant()).orElseGet(() -> backoff(failed));
        LOG.warn("GitLab answered {} to {}; retrying in {} ms (attempt {} of {})", status, what, wait.toMillis(),
            attempt + 1, policy.maxAttempts());
      } catch (IOException e) {
        if (attempt == policy.maxAttempts()) {
          throw new GitLabException(0, "GitLab could not be reached for " + what + " in " + attempt + " attempts: " + e, e);
        }
        wait = backoff(attempt);
        LOG.warn("GitLab could not be reached for {} ({}); retrying in {} ms (attempt {} of {})", what, e, wait.toMillis(),
            attempt + 1, policy.maxAttempts());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitLabException(0, "interrupted while " + what, e);
      }
      try {
        pause.pause(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitLabException(0, "interrupted while waiting to retry " + what, e);
      }
    }
  }

  static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  private Duration backoff(int failedAttempt) {
    return policy.backoff(failedAttempt, ThreadLocalRandom.current().nextDouble());
  }

  /** Retry-After as delay-seconds or an HTTP date (RFC 9110); empty when absent or unreadable. A date past is no wait. */
  static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
    Optional<String> header = headers.firstValue("Retry-After").map(String::strip).filter(v -> !v.isEmpty());
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
