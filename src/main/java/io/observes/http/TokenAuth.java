package io.observes.http;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A token obtained by a call of its own (an OAuth refresh-token grant, a login), fetched on first
 * use, sent as {@code header: prefix + token}, fetched again shortly before it expires (when the
 * source says when) and once when the API rejects it (401). The long-lived credentials the token
 * comes from are secrets too.
 */
public final class TokenAuth implements Auth {
  /** Renewed this long before the expiry the source gave, so that no call goes out with a dying token. */
  static final Duration EARLY = Duration.ofMinutes(1);

  /** A token and, when the source says, when it expires. */
  public record Token(Secret value, Instant expires) {
    public Token {
      Objects.requireNonNull(value, "value");
    }
  }

  private final String header;
  private final String prefix;
  private final Supplier<Token> source;
  private final List<Secret> credentials;
  private final Clock clock;
  private Token token;

  /**
   * @param header the header the token travels in, e.g. {@code Authorization}
   * @param prefix written before the token, e.g. {@code "Zoho-oauthtoken "} or {@code "JWT "}
   * @param source obtains a fresh token (it may throw an {@link ApiException})
   * @param credentials the secrets {@code source} uses, kept out of every message
   */
  public TokenAuth(String header, String prefix, Supplier<Secret> source, List<Secret> credentials) {
    this(header, prefix, () -> new Token(source.get(), null), credentials, Clock.systemUTC());
  }

  /** With tokens that expire, judged by {@code clock}. */
  public TokenAuth(String header, String prefix, Supplier<Token> source, List<Secret> credentials, Clock clock) {
    this.header = Objects.requireNonNull(header, "header");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.source = Objects.requireNonNull(source, "source");
    this.credentials = List.copyOf(credentials);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void sign(HttpRequest.Builder request) {
    if (token == null || token.expires() != null && !clock.instant().isBefore(token.expires().minus(EARLY))) {
      token = source.get();
    }
    request.header(header, prefix + token.value().reveal());
  }

  @Override
  public synchronized boolean renew() {
    token = source.get();
    return true;
  }

  @Override
  public synchronized List<Secret> secrets() {
    List<Secret> all = new ArrayList<>(credentials);
    if (token != null) {
      all.add(token.value());
    }
    return all;
  }
}
