package io.observes.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the items of a list answer from its stream, one element at a time: a bare array
 * (GitLab, Checkly v1), or the array in one field of an object ({@code data} of Zoho and
 * TimeDoctor, {@code entries} of Checkly v2) with the other fields kept beside it. The body is
 * never held as text.
 */
final class JsonItems {
  private static final ObjectMapper JSON = ApiJson.MAPPER;

  /** @param listed whether the answer held the list: a bare array, or an array in the field (not absent, null or another value) */
  record Items(List<JsonNode> items, ObjectNode rest, boolean listed) {}

  /** JSON, but not the list the API documents: not retried, the next answer would be the same. */
  static final class NotTheList extends IOException {
    NotTheList(String message) {
      super(message);
    }
  }

  private JsonItems() {}

  /** @param field the array's field in an object body, or null for a bare array */
  static Items read(InputStream body, String field) throws IOException {
    try {
      return items(body, field);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new NotJson(e);
    }
  }

  /**
   * Jackson throws some of its refusals unchecked: a number no BigDecimal holds
   * ({@code -0.0e-2147483648}: "Scale out of range") is a {@code NumberFormatException}. They are
   * answers that are not (usable) JSON all the same.
   */
  static final class NotJson extends IOException {
    NotJson(RuntimeException cause) {
      super(ApiText.describe(cause), cause);
    }
  }

  private static Items items(InputStream body, String field) throws IOException {
    List<JsonNode> items = new ArrayList<>();
    ObjectNode rest = JSON.createObjectNode();
    boolean listed = false;
    try (JsonParser parser = ApiJson.parser(body)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_ARRAY && field == null) {
        readArray(parser, items);
        listed = true;
      } else if (first == JsonToken.START_OBJECT && field != null) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (name.equals(field) && value == JsonToken.START_ARRAY) {
            readArray(parser, items);
            listed = true;
          } else {
            rest.set(name, parser.readValueAsTree());
          }
        }
      } else {
        throw new NotTheList("expected " + (field == null ? "a JSON array" : "a JSON object with the list in '" + field + "'")
            + " but the answer starts with " + first);
      }
    }
    return new Items(items, rest, listed);
  }

  private static void readArray(JsonParser parser, List<JsonNode> items) throws IOException {
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      items.add(parser.readValueAsTree());
    }
  }
}
