package io.observes.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.storage.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON of this package's documents, kept apart from the pipeline's mapper so the layers stay
 * separate. Documents are read as trees, not bound to classes: each field is checked by hand so a
 * corrupt document is reported field by field with the object's name, and fields this version does
 * not know are ignored (a newer writer of the same format may add some). Instants are ISO-8601
 * strings ({@link Instant#toString()}), readable by people and by {@link Instant#parse}.
 */
final class StateJson {
  /** Built once and never reconfigured: a built mapper is safe to share between threads. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private StateJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] write(ObjectNode document) {
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One document read from {@code uri}. Every problem becomes a {@link StateException} naming the
   * object, what it should have been ({@code kind}) and {@code remedy}.
   */
  static final class Reader {
    private final S3Uri uri;
    private final String kind;
    private final String remedy;
    private final ObjectNode node;

    private Reader(S3Uri uri, String kind, String remedy, ObjectNode node) {
      this.uri = uri;
      this.kind = kind;
      this.remedy = remedy;
      this.node = node;
    }

    static Reader of(byte[] bytes, S3Uri uri, String kind, String remedy) {
      JsonNode tree;
      try {
        tree = MAPPER.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw new StateException(uri + " is not a valid " + kind + ": it is not JSON (" + e.getOriginalMessage() + "); "
            + remedy, e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (tree == null || tree.isMissingNode()) {
        throw new StateException(uri + " is not a valid " + kind + ": it is empty; " + remedy);
      }
      if (!tree.isObject()) {
        throw new StateException(uri + " is not a valid " + kind + ": it is a JSON " + tree.getNodeType().name().toLowerCase()
            + ", not an object; " + remedy);
      }
      return new Reader(uri, kind, remedy, (ObjectNode) tree);
    }

    StateException invalid(String problem) {
      return new StateException(uri + " is not a valid " + kind + ": " + problem + "; " + remedy);
    }

    private JsonNode field(String name) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw invalid("it has no \"" + name + "\"");
      }
      return value;
    }

    int integer(String name) {
      JsonNode value = field(name);
      if (!value.isInt()) {
        throw invalid("\"" + name + "\" is " + value + ", not a whole number");
      }
      return value.intValue();
    }

    String text(String name) {
      JsonNode value = field(name);
      if (!value.isTextual() || value.textValue().isBlank()) {
        throw invalid("\"" + name + "\" is " + value + ", not a non-empty string");
      }
      return value.textValue();
    }

    /** A field a newer writer adds: empty when absent or null; otherwise a non-empty string. */
    java.util.Optional<String> optionalText(String name) {
      JsonNode value = node.get(name);
      return value == null || value.isNull() ? java.util.Optional.empty() : java.util.Optional.of(text(name));
    }

    Instant instant(String name) {
      String value = text(name);
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw invalid("\"" + name + "\" is \"" + value + "\", not an ISO-8601 instant such as 2026-01-31T04:00:00Z");
      }
    }

    ObjectNode object(String name) {
      JsonNode value = field(name);
      if (!value.isObject()) {
        throw invalid("\"" + name + "\" is a JSON " + value.getNodeType().name().toLowerCase() + ", not an object");
      }
      return (ObjectNode) value;
    }
  }
}
