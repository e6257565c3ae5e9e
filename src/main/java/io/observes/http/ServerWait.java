package io.observes.http;

import java.net.http.HttpHeaders;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an API says to come back: {@code Retry-After} (delay-seconds or an HTTP date, RFC 9110),
 * else {@code RateLimit-Reset} / {@code X-RateLimit-Reset} — seconds from now (the IETF draft,
 * Checkly) or, when it is a Unix time (GitLab), that moment. A time already past is no wait. The
 * values come from a server, so they are read defensively: a number too large for any clock is the
 * longest wait (the caller caps it, {@link RetrySettings#serverWait}); anything else that is not a
 * count of seconds or a date (negative, fractions, garbage) is ignored with a warning, and the
 * backoff applies. Nothing here throws.
 */
final class ServerWait {
  private static final Logger LOG = LoggerFactory.getLogger(ServerWait.class);
  /** Values above this are Unix times, not delays: 10^9 s is 2001, and no API asks for 31 years. */
  private static final long EPOCH_SECONDS = 1_000_000_000L;
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

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
    if (DIGITS.matcher(value).matches()) {
      return Optional.of(Duration.ofSeconds(seconds(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(nonNegative(Duration.between(now, at)));
    } catch (DateTimeException | ArithmeticException e) {
      ignored("Retry-After", "neither seconds nor an HTTP date");
      return Optional.empty();
    }
  }

  static Optional<Duration> reset(String value, Instant now) {
    if (!DIGITS.matcher(value).matches()) {
      ignored("RateLimit-Reset", "not a whole number of seconds");
      return Optional.empty();
    }
    long s = seconds(value);
    // Subtracting seconds, not building an Instant: a Unix time past year 1,000,000,000 is no
    // Instant, and the difference of two non-negative longs cannot overflow.
    return Optional.of(s >= EPOCH_SECONDS ? Duration.ofSeconds(Math.max(0, s - Math.max(0, now.getEpochSecond())))
        : Duration.ofSeconds(s));
  }

  /** Digits only (checked by the caller); more than a long holds is as long as a long. */
  private static long seconds(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The value itself stays out of the log: it is the server's text, of any length and content. */
  private static void ignored(String header, String why) {
    LOG.warn("ignoring the API's {} header ({}); backing off instead", header, why);
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
