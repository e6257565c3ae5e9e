package io.observes.http;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A token obtained by a call of its own (an OAuth refresh-token grant, a login), fetched on first
 * use, sent as {@code header: prefix + token}, and fetched again once when the API rejects it
 * (401: expired). The long-lived credentials the token comes from are secrets too.
 */
public final class TokenAuth implements Auth {
  private final String header;
  private final String prefix;
  private final Supplier<Secret> source;
  private final List<Secret> credentials;
  private Secret token;

  /**
   * @param header the header the token travels in, e.g. {@code Authorization}
   * @param prefix written before the token, e.g. {@code "Zoho-oauthtoken "} or {@code "JWT "}
   * @param source obtains a fresh token (it may throw an {@link ApiException})
   * @param credentials the secrets {@code source} uses, kept out of every message
   */
  public TokenAuth(String header, String prefix, Supplier<Secret> source, List<Secret> credentials) {
    this.header = Objects.requireNonNull(header, "header");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.source = Objects.requireNonNull(source, "source");
    this.credentials = List.copyOf(credentials);
  }

  @Override
  public synchronized void sign(HttpRequest.Builder request) {
    if (token == null) {
      token = source.get();
    }
    request.header(header, prefix + token.reveal());
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
      all.add(token);
    }
    return all;
  }
}
