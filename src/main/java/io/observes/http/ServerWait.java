package io.observes.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When an API says to come back: {@code Retry-After} (delay-seconds or an HTTP date, RFC 9110),
 * else {@code RateLimit-Reset} / {@code X-RateLimit-Reset} — seconds from now (the IETF draft,
 * Checkly) or, when it is a Unix time (GitLab), that moment. A time already past is no wait;
 * an unreadable header is ignored (the backoff applies).
 */
final class ServerWait {
  /** Values above this are Unix times, not delays: 10^9 s is 2001, and no API asks for 31 years. */
  private static final long EPOCH_SECONDS = 1_000_000_000L;

  private ServerWait() {}

  static Optional<Duration> of(HttpHeaders headers, Instant now) {
    Optional<Duration> retryAfter = header(headers, "Retry-After").flatMap(v -> retryAfter(v, now));
    if (retryAfter.isPresent()) {
      return retryAfter;
    }
    return header(headers, "RateLimit-Reset").or(() -> header(headers, "X-RateLimit-Reset"))
        .flatMap(v -> reset(v, now));
  }

  private static Optional<String> header(HttpHeaders headers, String name) {
    return headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty());
  }

  static Optional<Duration> retryAfter(String value, Instant now) {
    if (value.chars().allMatch(Character::isDigit)) {
      return seconds(value).map(Duration::ofSeconds);
    }
    try {
      return Optional.of(nonNegative(Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant())));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static Optional<Duration> reset(String value, Instant now) {
    return seconds(value).map(s -> s >= EPOCH_SECONDS ? nonNegative(Duration.between(now, Instant.ofEpochSecond(s)))
        : Duration.ofSeconds(s));
  }

  private static Optional<Long> seconds(String value) {
    try {
      long s = Long.parseLong(value);
      return s < 0 ? Optional.empty() : Optional.of(s);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
