package io.observes.http;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a source proves who it is, per request: static headers (GitLab's {@code Private-Token},
 * Checkly's bearer key and account), or a token obtained by a call of its own (Zoho's OAuth
 * refresh, TimeDoctor's login) and renewed once when the API answers 401.
 */
public interface Auth {
  /** Adds the credentials to a request about to be sent. */
  void sign(HttpRequest.Builder request);

  /**
   * Called once after a 401: obtains fresh credentials and says whether sending the request again
   * is worth it. Static credentials cannot be renewed: false.
   */
  default boolean renew() {
    return false;
  }

  /** Every secret this auth sends, so that no error or log quotes one back. */
  List<Secret> secrets();

  /** No credentials (public endpoints, a token endpoint itself). */
  static Auth none() {
    return new Auth() {
      @Override
      public void sign(HttpRequest.Builder request) {}

      @Override
      public List<Secret> secrets() {
        return List.of();
      }
    };
  }

  /** The same headers on every request, e.g. {@code Private-Token: <token>}. */
  static Auth headers(Map<String, Secret> headers) {
    Map<String, Secret> copy = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
    return new Auth() {
      @Override
      public void sign(HttpRequest.Builder request) {
        copy.forEach((name, value) -> request.header(name, value.reveal()));
      }

      @Override
      public List<Secret> secrets() {
        return List.copyOf(copy.values());
      }
    };
  }

  /** {@code Authorization: Bearer <token>} plus {@code extra} headers (e.g. an account id). */
  static Auth bearer(Secret token, Map<String, Secret> extra) {
    Map<String, Secret> headers = new LinkedHashMap<>(extra);
    headers.put("Authorization", Secret.of("Bearer " + token.reveal(), "the bearer token"));
    Auth signed = headers(headers);
    return new Auth() {
      @Override
      public void sign(HttpRequest.Builder request) {
        signed.sign(request);
      }

      @Override
      public List<Secret> secrets() {
        List<Secret> all = new java.util.ArrayList<>(signed.secrets());
        all.add(token);
        return all;
      }
    };
  }
}
