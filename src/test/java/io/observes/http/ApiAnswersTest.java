package io.observes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.TestRetries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an API sends that a careless reader would get wrong: numbers no column or no BigDecimal holds
 * are read as the numbers they are (never a failed page), and bytes that are not UTF-8 are refused
 * naming the call and the byte, never replaced.
 */
class ApiAnswersTest {
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
    ApiSettings settings = new ApiSettings("Checkly", URI.create("http://127.0.0.1:" + api.port() + "/v1"),
        Auth.none(), TestRetries.FAST, RateLimit.NONE, "no credentials needed");
    return new ApiClient(settings, ApiClient.defaultHttpClient(), Clock.systemUTC());
  }

  PageWalk walk(String path) {
    ApiClient client = client();
    return new PageWalk(client, client.resolve(path), "listing the checks", null, page -> Optional.empty(), page -> true);
  }

  static Value field(JsonNode item, String name) {
    return ((Value.Obj) JsonValues.fromJson(item)).fields().get(name);
  }

  @Test
  void numbersNoColumnOrNoBigDecimalHoldsAreReadAsTheNumbersTheyAre() {
    String digits = "8".repeat(100_000);
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withBody("[{\"id\": 1, \"tiny\": 1e-2147483648, "
        + "\"huge\": 1e2147483647, \"past\": -5E99999999999, \"long\": " + digits + ", \"money\": 85.30, "
        + "\"nested\": {\"list\": [1e-2147483648, 2]}}]")));

    List<JsonNode> items = walk("checks").stream().toList();

    JsonNode item = items.get(0);
    assertThat(field(item, "tiny")).isEqualTo(new Value.Numeric(null, "1e-2147483648"));
    assertThat(field(item, "past")).isEqualTo(new Value.Numeric(null, "-5E99999999999"));
    assertThat(((Value.Numeric) field(item, "huge")).value()).isEqualByComparingTo("1e2147483647");
    assertThat(((Value.Numeric) field(item, "long")).text()).isEqualTo(digits);
    assertThat(((Value.Numeric) field(item, "money")).text()).isEqualTo("85.30");
    // Written back (state, backups) as the same numbers.
    assertThat(item.toString()).contains("\"tiny\":1e-2147483648", "\"past\":-5E99999999999", "[1e-2147483648,2]");
    assertThat(items.get(0).get("id").asInt()).isEqualTo(1);
  }

  @Test
  void aSingleAnswerKeepsThemToo() {
    api.stubFor(get(urlPathEqualTo("/v1/check-statuses")).willReturn(aResponse().withBody("{\"n\": 1e-2147483648}")));

    JsonNode answer = client().getJson("check-statuses", "reading the statuses");

    assertThat(JsonValues.fromJson(answer.get("n"))).isEqualTo(new Value.Numeric(null, "1e-2147483648"));
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedNamingTheCallAndTheByte() {
    byte[] latin1 = "[{\"id\": \"caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1);
    api.stubFor(get(urlPathEqualTo("/v1/checks")).willReturn(aResponse().withBody(latin1)));
    api.stubFor(get(urlPathEqualTo("/v1/check-statuses")).willReturn(aResponse().withBody(latin1)));

    assertThatThrownBy(() -> walk("checks").stream().toList()).isInstanceOf(ApiException.class)
        .hasMessageContaining("listing the checks (page 1)").hasMessageContaining("Invalid UTF-8")
        .hasMessageContaining("near byte 14");
    assertThatThrownBy(() -> client().getJson("check-statuses", "reading the statuses")).isInstanceOf(ApiException.class)
        .hasMessageContaining("reading the statuses").hasMessageContaining("Invalid UTF-8").hasMessageContaining("near byte 14");
  }
}
