package io.observes.pipeline.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  @Test
  void nulIsEscapedLosslessly() {
    String json = JsonValues.toJson(new Value.Text("a\u0000b"));
    assertThat(json).isEqualTo("\"a\\u0000b\"");
    assertThat(json).doesNotContain("\u0000");
    assertThat(JsonValues.parse(json)).isEqualTo(new Value.Text("a\u0000b"));
  }

  @Test
  void asciiJsonEscapesEveryNonAsciiCharacter() {
    Value v = new Value.Obj(Map.of("名前", new Value.Text("é😀\uD800")));
    String json = JsonValues.toAsciiJson(v);
    assertThat(json.chars()).allMatch(c -> c < 128);
    assertThat(json.toLowerCase()).contains("\\u00e9", "\\ud83d\\ude00", "\\ud800");
    assertThat(JsonValues.parse(json)).isEqualTo(v);
    // Plain JSON keeps the characters.
    assertThat(JsonValues.toJson(new Value.Text("é"))).isEqualTo("\"é\"");
  }

  @Test
  void parseKeepsBigNumbersExact() {
    Value v = JsonValues.parse("{\"d\": 123456789012345678901234567890.123456789, \"e\": 1E+2, \"i\": 123456789012345678901234567890123456789012}");
    Value.Obj obj = (Value.Obj) v;
    Value.Numeric d = (Value.Numeric) obj.fields().get("d");
    assertThat(d.value()).isEqualTo(new BigDecimal("123456789012345678901234567890.123456789"));
    assertThat(d.text()).isEqualTo("123456789012345678901234567890.123456789");
    Value.Numeric i = (Value.Numeric) obj.fields().get("i");
    assertThat(i.text()).isEqualTo("123456789012345678901234567890123456789012");
    assertThat(i.value()).isEqualTo(new BigDecimal("123456789012345678901234567890123456789012"));
    assertThat(((Value.Numeric) obj.fields().get("e")).value()).isEqualByComparingTo("100");
    // And writes them back as they came.
    assertThat(JsonValues.toJson(v)).contains("123456789012345678901234567890.123456789")
        .contains("123456789012345678901234567890123456789012");
  }

  @Test
  void treeRoundTrip() {
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("s", new Value.Text("x\"y\\z\n"));
    fields.put("b", new Value.Bool(false));
    fields.put("n", Value.Null.INSTANCE);
    fields.put("l", Value.Array.list(List.of(Value.Numeric.of(1), new Value.Obj(Map.of("k", Value.Numeric.of("2.5"))))));
    Value.Obj obj = new Value.Obj(fields);
    String json = JsonValues.toJson(obj);
    assertThat(json).startsWith("{\"s\":");
    assertThat(JsonValues.parse(json)).isEqualTo(obj);
  }

  @Test
  void binaryAndSetsAndNonFiniteFloats() {
    assertThat(JsonValues.toJson(new Value.Binary(new byte[] {1, 2, 3}))).isEqualTo("\"AQID\"");
    assertThat(JsonValues.toJson(new Value.Array(List.of(new Value.Text("a")), true))).isEqualTo("[\"a\"]");
    assertThat(JsonValues.toJson(new Value.Floating(Double.NaN))).isEqualTo("\"NaN\"");
    assertThat(JsonValues.toJson(new Value.Floating(0.5))).isEqualTo("0.5");
  }

  @Test
  void invalidJsonIsRejected() {
    assertThatThrownBy(() -> JsonValues.parse("{oops")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void parsingFromTokensGivesWhatTheTreeGaveForRandomDocuments() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper tree = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
        .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .build();
    java.util.Random random = new java.util.Random(5);
    for (int round = 0; round < 3000; round++) {
      String json = randomJson(random, 0);
      // The same values; only the token parser knows how each number was written.
      assertThat(sameNotation(JsonValues.parse(json))).as(json).isEqualTo(sameNotation(JsonValues.fromJson(tree.readTree(json))));
    }
    // A repeated field keeps its first place and its last value, as the tree did.
    assertThat(JsonValues.parse("{\"a\": 1, \"b\": 2, \"a\": 3}"))
        .isEqualTo(JsonValues.fromJson(tree.readTree("{\"a\": 1, \"b\": 2, \"a\": 3}")));
  }

  @Test
  void utf8BytesParseToWhatTheirTextParsesTo() {
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 3000; round++) {
      String json = randomJson(random, 0) + (round % 3 == 0 ? " \r" : "");
      byte[] line = ("  " + json + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      // Numbers keep their notation and strings their characters (4-byte UTF-8 too): the very same values.
      assertThat(JsonValues.parse(line, 2, line.length - 3)).as(json).isEqualTo(JsonValues.parse(json));
    }
    byte[] cafe = "{\"café\": \"脆弱性 🔥\", \"n\": 12.50}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(JsonValues.parse(cafe, 0, cafe.length))
        .isEqualTo(new Value.Obj(Map.of("café", new Value.Text("脆弱性 🔥"), "n", Value.Numeric.parse("12.50"))));
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    byte[] latin1 = {'"', 'c', 'a', 'f', (byte) 0xE9, '"'};
    assertThatThrownBy(() -> JsonValues.parse(latin1, 0, latin1.length)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON").hasMessageContaining("UTF-8");
  }

  /** {@code v} with every number's text in BigDecimal's notation, as a tree gives it. */
  private static Value sameNotation(Value v) {
    if (v instanceof Value.Numeric n) {
      return new Value.Numeric(n.value(), n.value().toString());
    }
    if (v instanceof Value.Obj o) {
      Map<String, Value> fields = new LinkedHashMap<>();
      o.fields().forEach((k, f) -> fields.put(k, sameNotation(f)));
      return new Value.Obj(fields);
    }
    if (v instanceof Value.Array a) {
      return Value.Array.list(a.items().stream().map(JsonValuesTest::sameNotation).toList());
    }
    return v;
  }

  @Test
  void numbersKeepTheTextTheSourceWrote() {
    Value.Obj obj = (Value.Obj) JsonValues.parse("{\"a\": 1e5, \"b\": -0, \"c\": 1E+2, \"d\": 1e-2147483648, \"e\": 2.50}");
    assertThat(obj.fields().values()).extracting(v -> ((Value.Numeric) v).text())
        .containsExactly("1e5", "-0", "1E+2", "1e-2147483648", "2.50");
    assertThat(((Value.Numeric) obj.fields().get("d")).value()).as("no BigDecimal holds 1e-2147483648").isNull();
    assertThat(((Value.Numeric) obj.fields().get("c")).value()).isEqualByComparingTo("100");
    assertThat(JsonValues.toJson(obj)).isEqualTo("{\"a\":1e5,\"b\":-0,\"c\":1E+2,\"d\":1e-2147483648,\"e\":2.50}");
  }

  @Test
  void numbersOfAHundredThousandDigitsAreRead() {
    String digits = "3".repeat(100_000);
    Value.Numeric n = (Value.Numeric) ((Value.Obj) JsonValues.parse("{\"n\": -" + digits + ".5e-7}")).fields().get("n");
    assertThat(n.text()).isEqualTo("-" + digits + ".5e-7");
    assertThat(n.value()).isEqualTo(new BigDecimal("-" + digits + ".5e-7"));
  }

  private static String randomJson(java.util.Random r, int depth) {
    int kind = depth > 4 ? r.nextInt(5) : r.nextInt(7);
    return switch (kind) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> new String[] {"0", "-0", "12.50", "1e5", "-1.5E-7", "123456789012345678901234567890", "3.0"}[r.nextInt(7)];
      case 3 -> "\"" + new String[] {"", "x", "naïve \\\" q", "\\u0000", "😀", "a\\nb"}[r.nextInt(6)] + "\"";
      case 4 -> String.valueOf(r.nextInt());
      case 5 -> {
        StringBuilder a = new StringBuilder("[");
        for (int i = r.nextInt(4); i > 0; i--) {
          a.append(randomJson(r, depth + 1)).append(i > 1 ? "," : "");
        }
        yield a.append(']').toString();
      }
      default -> {
        StringBuilder o = new StringBuilder("{");
        for (int i = r.nextInt(4); i > 0; i--) {
          o.append("\"k").append(r.nextInt(3)).append("\":").append(randomJson(r, depth + 1)).append(i > 1 ? "," : "");
        }
        yield o.append('}').toString();
      }
    };
  }
}
