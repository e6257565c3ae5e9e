package io.observes.demo;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * The export stand-in's path to DynamoDB Local for every operation it does not answer itself: the
 * request and the answer pass unchanged but for the hop-by-hop headers, which belong to each
 * connection, not to the message.
 */
final class DynamoLocalForward {
  private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive");

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI dynamoLocal;

  DynamoLocalForward(URI dynamoLocal) {
    this.dynamoLocal = dynamoLocal;
  }

  /** Sends {@code exchange}'s request with {@code body} to DynamoDB Local and its answer back; returns the answer's bytes. */
  long send(HttpExchange exchange, byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(dynamoLocal.resolve(exchange.getRequestURI().toString()))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase())) {
        values.forEach(v -> request.header(name, v));
      }
    });
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    byte[] answer;
    try (InputStream in = response.body()) {
      answer = in.readAllBytes();
    }
    response.headers().map().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
    exchange.getResponseBody().write(answer);
    return answer.length;
  }
}
