package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.testing.TestRetries;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text an API sends back reaches exception messages, and from there the terminal and Slack: it
 * arrives without control or format characters (an ESC would drive the terminal, a right-to-left
 * override would disguise the text), cut to a bounded length on a character boundary, and without
 * the credentials.
 */
class ErrorTextTest {
  static final String KEY = "ck_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  /** The API's own text is cut to 200 characters; the rest of a message is ours (service, call, status). */
  static final int MESSAGE_BOUND = 600;

  WireMockServer api;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  ApiClient client() {
    return new ApiClient(new ApiSettings("Checkly", URI.create("http://127.0.0.1:" + api.port() + "/v1"),
        Auth.bearer(Secret.of(KEY, "key"), Map.of()), TestRetries.FAST, RateLimit.NONE, "set the key"),
        ApiClient.defaultHttpClient(), Clock.systemUTC());
  }

  static final String HOSTILE = "\u001b]0;owned\u0007\u001b[2J\u001b[31mDENIED\u001b[0m \u202Etxt.exe\u202C\u200B\r\nSet-Cookie: x"
      + "\u0000\u0008\u007f\u009b for " + KEY + " " + "x".repeat(5_000) + " \uD83D\uDE00";

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {400, 403, 404, 422, 500, 401})
  void anErrorBodyIsQuotedWithoutControlCharactersBoundedAndWithoutTheKey(int status) {
    String json = "{\"message\": " + io.observes.http.ApiJson.MAPPER.valueToTree(HOSTILE) + "}";
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withStatus(status).withBody(json)));

    assertClean(catchThrowableOfType(() -> client().getJson("checks", "listing checks"), RuntimeException.class));
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {200, 400})
  void aBodyThatIsNotJsonIsQuotedTheSameWay(int status) {
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withStatus(status).withBody(HOSTILE)));

    assertClean(catchThrowableOfType(() -> client().getJson("checks", "listing checks"), ApiException.class));
  }

  @ParameterizedTest(name = "{0} characters, then an emoji")
  @ValueSource(ints = {198, 199, 200, 201})
  void aCutNeverSplitsACharacter(int before) {
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withStatus(400)
        .withBody("{\"message\": \"" + "y".repeat(before) + "\uD83D\uDE00\uD83D\uDE00 tail\"}")));

    ApiException e = catchThrowableOfType(() -> client().getJson("checks", "listing checks"), ApiException.class);

    assertClean(e);
    assertThat(e.getMessage()).contains("y".repeat(Math.min(before, 150)));
  }

  static void assertClean(Throwable e) {
    assertThat(e).isNotNull();
    String message = e.getMessage();
    assertThat(message).contains("Checkly").hasSizeLessThan(MESSAGE_BOUND).doesNotContain(KEY);
    assertThat(message.codePoints().filter(c -> Character.getType(c) == Character.CONTROL
        || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE))
        .as("control, format or lone surrogate characters in %s", message.codePoints()
            .filter(c -> c < 0x20 || c >= 0x7f && c < 0xa0 || Character.getType(c) == Character.FORMAT)
            .mapToObj(c -> String.format("U+%04X", c)).toList())
        .isEmpty();
  }
}
