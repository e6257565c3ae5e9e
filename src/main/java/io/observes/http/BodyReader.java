package io.observes.http;

import java.io.IOException;

/**
 * Reads a 2xx answer within its attempt ({@link ApiClient#exchange}), so that a body that stalls or
 * breaks off is retried like a dropped connection. An {@code IOException} of the body itself is
 * retried; one of the reader (not JSON, not the documented shape, a local file) is not.
 */
@FunctionalInterface
public interface BodyReader<T> {
  T read(ApiResponse response) throws IOException;
}
