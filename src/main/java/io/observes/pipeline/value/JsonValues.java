package io.observes.pipeline.value;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.observes.http.ApiJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between JSON and {@link Value}, exactly: JSON numbers stay exact decimals. */
public final class JsonValues {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(ApiJson.factory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          // The default node factory strips trailing zeros: 12.50 would arrive as 12.5.
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private JsonValues() {}

  /**
   * Parses JSON text straight from its tokens, with no tree in between: objects keep their field
   * order (a repeated field keeps its first place and its last value), numbers stay exact decimals
   * with their text, deep nesting needs no recursion.
   */
  public static Value parse(String json) {
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      return parse(parser);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #parse(String)}, from {@code length} bytes of UTF-8 at {@code offset}: JSON read as it
   * is stored (a line of a JSON-lines file) is parsed once, not decoded into a string first and then
   * parsed. Bytes that are not UTF-8 are refused as invalid JSON.
   */
  public static Value parse(byte[] utf8, int offset, int length) {
    try (JsonParser parser = MAPPER.getFactory().createParser(utf8, offset, length)) {
      return parse(parser);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Value parse(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      return Value.Null.INSTANCE;
    }
    return read(parser, token);
  }

  /** An object or array being read: its fields or items so far, and the name of the field pending. */
  private static final class Open {
    final Map<String, Value> fields;
    final List<Value> items;
    String name;

    Open(boolean object) {
      fields = object ? new LinkedHashMap<>() : null;
      items = object ? null : new ArrayList<>();
    }

    void add(Value value) {
      if (fields != null) {
        fields.put(name, value);
      } else {
        items.add(value);
      }
    }

    Value close() {
      return fields != null ? new Value.Obj(fields) : Value.Array.list(items);
    }
  }

  private static Value read(JsonParser parser, JsonToken first) throws IOException {
    ArrayDeque<Open> stack = new ArrayDeque<>();
    JsonToken token = first;
    while (true) {
      Value done = null;
      switch (token) {
        case START_OBJECT -> stack.push(new Open(true));
        case START_ARRAY -> stack.push(new Open(false));
        case FIELD_NAME -> stack.peek().name = parser.currentName();
        case END_OBJECT, END_ARRAY -> done = stack.pop().close();
        case VALUE_STRING -> done = new Value.Text(parser.getText());
        case VALUE_TRUE -> done = new Value.Bool(true);
        case VALUE_FALSE -> done = new Value.Bool(false);
        case VALUE_NULL -> done = Value.Null.INSTANCE;
        // The number as the source wrote it, parsed here: Jackson's own conversion fails on a number
        // no BigDecimal holds (1e-2147483648), which is still a number, kept as its text.
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> done = Value.Numeric.parse(parser.getText());
        default -> throw new IOException("unexpected JSON token " + token);
      }
      if (done != null) {
        if (stack.isEmpty()) {
          return done;
        }
        stack.peek().add(done);
      }
      token = parser.nextToken();
      if (token == null) {
        throw new IOException("the JSON text ends inside an object or array");
      }
    }
  }

  public static Value fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Value.Null.INSTANCE;
    }
    if (node.isTextual()) {
      return new Value.Text(node.textValue());
    }
    if (node.isBoolean()) {
      return new Value.Bool(node.booleanValue());
    }
    if (node.isNumber()) {
      if (node.isFloat() || node.isDouble()) {
        return new Value.Floating(node.doubleValue());
      }
      BigDecimal exact = node.decimalValue();
      return new Value.Numeric(exact, node.isIntegralNumber() ? node.bigIntegerValue().toString() : exact.toString());
    }
    if (node instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw) {
      // A number no BigDecimal holds, as ApiJson's parser keeps it: its text.
      return Value.Numeric.parse(String.valueOf(raw.rawValue()));
    }
    if (node.isBinary()) {
      try {
        return new Value.Binary(node.binaryValue());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (node.isArray()) {
      List<Value> items = new ArrayList<>(node.size());
      node.forEach(item -> items.add(fromJson(item)));
      return Value.Array.list(items);
    }
    Map<String, Value> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields.put(field.getKey(), fromJson(field.getValue()));
    }
    return new Value.Obj(fields);
  }

  /**
   * Lossless JSON text of a value: strings escaped (a NUL becomes {@code \u0000}), numbers in their
   * source text, binary as a base64 string, sets as arrays.
   */
  public static String toJson(Value value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
      write(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** As {@link #toJson}, with every non-ASCII character escaped: safe even for unpaired surrogates. */
  public static String toAsciiJson(Value value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
      gen.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
      write(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator gen, Value value) throws IOException {
    if (value instanceof Value.Text t) {
      gen.writeString(t.value());
    } else if (value instanceof Value.Numeric n) {
      gen.writeNumber(n.text());
    } else if (value instanceof Value.Floating f) {
      if (Double.isFinite(f.value())) {
        gen.writeNumber(f.value());
      } else {
        gen.writeString(Double.toString(f.value()));
      }
    } else if (value instanceof Value.Bool b) {
      gen.writeBoolean(b.value());
    } else if (value instanceof Value.Binary b) {
      gen.writeString(b.base64());
    } else if (value instanceof Value.Invalid i) {
      write(gen, i.raw());
    } else if (value instanceof Value.Obj o) {
      gen.writeStartObject();
      for (Map.Entry<String, Value> field : o.fields().entrySet()) {
        gen.writeFieldName(field.getKey());
        write(gen, field.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof Value.Array a) {
      gen.writeStartArray();
      for (Value item : a.items()) {
        write(gen, item);
      }
      gen.writeEndArray();
    } else {
      gen.writeNull();
    }
  }
}
