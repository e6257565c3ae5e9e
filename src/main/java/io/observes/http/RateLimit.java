package io.observes.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A source's request budget, kept on our side so that a run stays under the API's limit instead of
 * living on 429s: at most {@code requests} calls per {@code period} (Zoho: 10 a minute; Checkly's
 * check results: 60 a minute).
 */
public record RateLimit(int requests, Duration period) {
  /** No limit of our own (the API's 429s and headers still apply). */
  public static final RateLimit NONE = new RateLimit(Integer.MAX_VALUE, Duration.ofNanos(1));

  public RateLimit {
    Objects.requireNonNull(period, "period");
    if (requests < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a rate limit needs at least one request per positive period");
    }
  }

  public static RateLimit perMinute(int requests) {
    return new RateLimit(requests, Duration.ofMinutes(1));
  }

  public boolean limited() {
    return requests != Integer.MAX_VALUE;
  }

  /** The limiter that keeps {@code name}'s calls to this budget (waiting up to ten periods for a permit); none when unlimited. */
  public Optional<RateLimiter> limiter(String name) {
    return limited() ? Optional.of(RateLimiter.of(name, RateLimiterConfig.custom().limitForPeriod(requests)
        .limitRefreshPeriod(period).timeoutDuration(period.multipliedBy(10)).build())) : Optional.empty();
  }
}
