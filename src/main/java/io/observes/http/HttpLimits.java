package io.observes.http;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How long and how much one API call may take, so that no answer can hold a run forever or fill its
 * memory: {@code readTimeout} without a byte while waiting for the answer's headers or its body
 * (a stall; retried like a dropped connection), {@code callTimeout} for one attempt from sending to
 * the body's last byte (a server that dribbles a byte just often enough), and {@code maxBodyBytes} of
 * body (more is an error, not retried: the next answer would be as large); and {@code maxPages} pages
 * in one list walk (more is a paging fault, an error: see {@link #DEFAULT}).
 *
 * <p>From the environment: {@code OBSERVES_HTTP_READ_TIMEOUT_SECONDS},
 * {@code OBSERVES_HTTP_CALL_TIMEOUT_SECONDS} (fractions allowed), {@code OBSERVES_HTTP_MAX_BODY_MIB} and
 * {@code OBSERVES_HTTP_MAX_PAGES},
 * each overridden per source by {@code OBSERVES_<SOURCE>_HTTP_...} ({@code OBSERVES_ZOHO_HTTP_MAX_BODY_MIB}).
 */
public record HttpLimits(Duration readTimeout, Duration callTimeout, long maxBodyBytes, int maxPages) {
  public static final long MIB = 1024L * 1024;
  private static final int DEFAULT_PAGES = 100_000;
  /**
   * 60 s without a byte (what the request timeout always was), 10 minutes a call (a full 64 MiB at
   * 110 KB/s; a JSON page is far smaller), 64 MiB a body (list pages are a few hundred KiB; the
   * parsed tree of 64 MiB still fits the heap), 100,000 pages a list: 10 million objects at 100 a
   * page, a hundred times the largest list we read (a big project's merge requests, its whole
   * history); at GitLab's 600 requests a minute that is a walk of 3 hours, at Checkly's 60 a day
   * and more, past the job timeout anyway. So no real list reaches it, and a list that never ends
   * (a server repeating full pages, a next page that always increments) still ends, in bounded
   * time and with the seen pages' memory bounded (about 10 MB).
   */
  public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(60), Duration.ofMinutes(10), 64 * MIB, DEFAULT_PAGES);
  public static final String READ_TIMEOUT = "READ_TIMEOUT_SECONDS";
  public static final String CALL_TIMEOUT = "CALL_TIMEOUT_SECONDS";
  public static final String MAX_BODY = "MAX_BODY_MIB";
  public static final String MAX_PAGES = "MAX_PAGES";

  public HttpLimits {
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (readTimeout.isNegative() || readTimeout.isZero() || callTimeout.isNegative() || callTimeout.isZero() || maxBodyBytes < 1
        || maxPages < 1) {
      throw new IllegalArgumentException("HTTP limits must be positive");
    }
  }

  /** With the default bound on pages. */
  public HttpLimits(Duration readTimeout, Duration callTimeout, long maxBodyBytes) {
    this(readTimeout, callTimeout, maxBodyBytes, DEFAULT_PAGES);
  }

  public HttpLimits withMaxPages(int pages) {
    return new HttpLimits(readTimeout, callTimeout, maxBodyBytes, pages);
  }

  /** The limits of {@code source} ("GITLAB") in {@code env}, {@link #DEFAULT} where unset. */
  public static HttpLimits from(Environment env, String source) {
    return from(env, source, DEFAULT);
  }

  /** The limits of {@code source} in {@code env}, {@code defaults} where unset; a bad value is a {@link ConfigException}. */
  public static HttpLimits from(Environment env, String source, HttpLimits defaults) {
    return new HttpLimits(
        setting(env, source, READ_TIMEOUT).map(v -> seconds(v.name(), v.value())).orElse(defaults.readTimeout()),
        setting(env, source, CALL_TIMEOUT).map(v -> seconds(v.name(), v.value())).orElse(defaults.callTimeout()),
        setting(env, source, MAX_BODY).map(v -> mebibytes(v.name(), v.value())).orElse(defaults.maxBodyBytes()),
        setting(env, source, MAX_PAGES).map(v -> pages(v.name(), v.value())).orElse(defaults.maxPages()));
  }

  /** The variable that sets {@code setting} for every source, e.g. {@code OBSERVES_HTTP_MAX_BODY_MIB}. */
  public static String variable(String setting) {
    return "OBSERVES_HTTP_" + setting;
  }

  /** The variable that sets {@code setting} for {@code source} only, e.g. {@code OBSERVES_ZOHO_HTTP_MAX_BODY_MIB}. */
  public static String variable(String source, String setting) {
    return "OBSERVES_" + source.toUpperCase(Locale.ROOT) + "_HTTP_" + setting;
  }

  private record Value(String name, String value) {}

  private static Optional<Value> setting(Environment env, String source, String setting) {
    String own = variable(source, setting);
    String all = variable(setting);
    return env.get(own).map(v -> new Value(own, v)).or(() -> env.get(all).map(v -> new Value(all, v)));
  }

  /** Whole milliseconds, at least one: tests set fractions of a second. */
  private static Duration seconds(String name, String value) {
    BigDecimal s = positive(name, value, "a number of seconds, like 60 or 0.5");
    return Duration.ofMillis(Math.max(1, s.movePointRight(3).setScale(0, RoundingMode.CEILING).longValue()));
  }

  private static long mebibytes(String name, String value) {
    BigDecimal mib = positive(name, value, "a number of MiB, like 64");
    return Math.max(1, mib.multiply(BigDecimal.valueOf(MIB)).setScale(0, RoundingMode.CEILING).longValue());
  }

  private static int pages(String name, String value) {
    BigDecimal pages = positive(name, value, "a whole number of pages, like 100000");
    if (pages.stripTrailingZeros().scale() > 0 || pages.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new ConfigException(name + " must be a whole number of pages up to " + Integer.MAX_VALUE + ", was '"
          + ApiText.quote(value) + "'");
    }
    return pages.intValue();
  }

  private static BigDecimal positive(String name, String value, String what) {
    try {
      BigDecimal number = new BigDecimal(value);
      // Bounded above too, so that no conversion overflows: a billion seconds or MiB is "forever" already.
      if (number.signum() > 0 && number.compareTo(BigDecimal.valueOf(1_000_000_000L)) < 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ConfigException(name + " must be " + what + " (more than 0), was '" + ApiText.quote(value) + "'");
  }
}
