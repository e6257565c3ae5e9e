package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile answers for {@link HttpFuzzTest}, drawn from a seeded {@link Random}: a status, a body,
 * some headers, maybe a delay or a fault. Each says what it is, so that a failing case can be read
 * and replayed.
 */
final class FuzzAnswers {
  /** One answer and how it was drawn. */
  record Answer(ResponseDefinitionBuilder response, String description) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 201, 204, 301, 302, 304, 307, 308, 400, 401, 403,
      404, 422, 429, 429, 500, 502, 503};
  private static final Fault[] FAULTS = {Fault.CONNECTION_RESET_BY_PEER, Fault.EMPTY_RESPONSE, Fault.MALFORMED_RESPONSE_CHUNK,
      Fault.RANDOM_DATA_THEN_CLOSE};
  private static final String[] CONTENT_TYPES = {"application/json", "text/html", "application/xml", "text/plain; charset=utf-16",
      "application/octet-stream", "application/json; charset=latin1"};
  private static final String[] WAITS = {"99999999999999999", "99999999999999999999999", "-1", "-99999999999999999", "soon",
      "Fri, 31 Dec 9999 23:59:59 GMT", "Wed, 99 Foo 2026 99:99:99 GMT", "0", "1", "1e9", "0x10", "1700000000", "2.5", " "};
  private static final String[] NEXT_PAGES = {"2", "3", "1", "0", "-1", "99999999999", "2147483647", "abc", "", " 2 ", "2, 3",
      "1e3"};
  private static final String[] CONTENT_LENGTHS = {"-5", "3", "99999999999", "abc", "0"};

  private final String root;
  private final String other;
  private final String token;

  FuzzAnswers(String root, String other, String token) {
    this.root = root;
    this.other = other;
    this.token = token;
  }

  Answer next(Random r) {
    List<String> said = new ArrayList<>();
    ResponseDefinitionBuilder response = aResponse();
    if (r.nextInt(100) < 6) {
      Fault fault = FAULTS[r.nextInt(FAULTS.length)];
      return new Answer(response.withFault(fault), "fault " + fault);
    }
    int status = STATUSES[r.nextInt(STATUSES.length)];
    response.withStatus(status);
    said.add(Integer.toString(status));
    // Two in five bodies are a good list, so that hostile headers meet answers that would otherwise read.
    int body = r.nextInt(5) < 2 ? r.nextInt(4) : r.nextInt(BODIES);
    said.add("body " + body);
    if (body == BINARY) {
      byte[] bytes = new byte[200 + r.nextInt(2000)];
      r.nextBytes(bytes);
      response.withBody(bytes);
    } else if (body == INVALID_UTF8) {
      response.withBody(new byte[] {'[', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', ']'});
    } else {
      response.withBody(body(body));
    }
    if (r.nextInt(3) == 0) {
      String type = CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
      response.withHeader("Content-Type", type);
      said.add("Content-Type " + type);
    }
    header(r, response, said, "Retry-After", WAITS, 4);
    header(r, response, said, "RateLimit-Reset", WAITS, 5);
    header(r, response, said, "X-Next-Page", NEXT_PAGES, 3);
    header(r, response, said, "Content-Length", CONTENT_LENGTHS, 12);
    if (r.nextInt(3) == 0) {
      String link = links()[r.nextInt(links().length)];
      response.withHeader("Link", link);
      said.add("Link " + link);
    }
    if (status / 100 == 3 || r.nextInt(10) == 0) {
      String location = locations()[r.nextInt(locations().length)];
      response.withHeader("Location", location);
      said.add("Location " + location);
    }
    int pace = r.nextInt(100);
    if (pace < 3) {
      response.withFixedDelay(1_500);
      said.add("headers after 1.5 s");
    } else if (pace < 6) {
      response.withChunkedDribbleDelay(5, 2_500);
      said.add("body in 5 chunks over 2.5 s");
    } else if (pace < 12) {
      response.withChunkedDribbleDelay(4, 120);
      said.add("body in 4 chunks over 0.12 s");
    }
    return new Answer(response, String.join(", ", said));
  }

  private static void header(Random r, ResponseDefinitionBuilder response, List<String> said, String name, String[] values,
      int oneIn) {
    if (r.nextInt(oneIn) == 0) {
      String value = values[r.nextInt(values.length)];
      response.withHeader(name, value);
      said.add(name + " '" + value + "'");
    }
  }

  private static final int BODIES = 22;
  private static final int BINARY = 20;
  private static final int INVALID_UTF8 = 21;

  private String body(int which) {
    return switch (which) {
      case 0, 1 -> "[{\"id\": 1, \"name\": \"a\"}, {\"id\": 2, \"name\": \"b\"}]";
      case 2 -> "[{\"id\": 3}]";
      case 3 -> "[]";
      case 4 -> "{\"message\": \"401 Unauthorized: token " + token + " is not valid\"}";
      case 5 -> "{\"message\": \"\u001b]0;owned\u0007\u001b[2J\u202Eevil\u202C\r\nInjected: line " + token + "\"}";
      case 6 -> "{\"message\": {\"base\": [\"is invalid\"], \"token\": \"" + token + "\"}}";
      case 7 -> "[{\"id\": 1,";
      case 8 -> "{]";
      case 9 -> "[1, 2,]";
      case 10 -> "\"unterminated";
      case 11 -> "[".repeat(5_000);
      case 12 -> "[\"" + "x".repeat(300 * 1024) + "\"]";
      case 13 -> "[1e999999999, -0.0e-2147483648]";
      case 14 -> "[" + "9".repeat(5_000) + "]";
      case 15 -> "<html><head><title>502 Bad Gateway</title></head><body>nginx " + token + "</body></html>";
      case 16 -> "";
      case 17 -> "{\"data\": [{\"id\": 1}], \"paging\": {\"next\": \"" + other + "/steal\"}}";
      case 18 -> "[{\"id\": 1, \"nested\": " + "{\"a\": ".repeat(900) + "1" + "}".repeat(900) + "}]";
      case 19 -> "[{\"id\": 1}] trailing garbage \u0000\u0001";
      default -> throw new IllegalArgumentException("no body " + which);
    };
  }

  private String[] links() {
    return new String[] {
        "<" + root + "/api/v4/projects/1/jobs?per_page=2&page=2>; rel=\"next\"",
        "<" + other + "/steal?page=2>; rel=\"next\"",
        "</api/v4/projects/1/jobs?per_page=2&page=2>; rel=\"next\"",
        "<jobs?per_page=2&page=1>; rel=\"next\"",
        "<//127.0.0.1:" + other.substring(other.lastIndexOf(':') + 1) + "/x>; rel=\"next\"",
        "<javascript:alert(1)>; rel=\"next\"",
        "<:::>; rel=\"next\"",
        "<>; rel=\"next\"",
        "<http://[::1/>; rel=\"next\"",
        "<" + root + "/api/v4/projects/1/jobs?page=2&private_token=" + token + ">; rel=next",
        "<" + root.replace("http:", "https:") + "/api/v4/projects/1/jobs?page=2>; rel=\"next\"",
        "<" + other + "/a>; rel=\"prev\", <" + root + "/api/v4/projects/1/jobs?page=3>; rel=\"next\"",
    };
  }

  private String[] locations() {
    return new String[] {other + "/steal", "/relative/path", "http://" + token + "@127.0.0.1:1/", ":::",
        root + "/api/v4/projects/1/jobs?page=1", "https://gitlab.example.com/api/v4/projects/1?private_token=" + token};
  }
}
