package io.observes.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * A successful (2xx) answer whose body is read as a stream, so a large page or a download is never
 * held whole in memory. The caller closes it.
 */
public record ApiResponse(int status, URI uri, HttpHeaders headers, InputStream body) implements AutoCloseable {
  public ApiResponse {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  public java.util.Optional<String> header(String name) {
    return headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty());
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the response of " + uri.getPath() + " failed", e);
    }
  }
}
