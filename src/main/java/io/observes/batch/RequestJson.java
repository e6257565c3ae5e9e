package io.observes.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * An AWS SDK request as the JSON the API receives: fields under their wire names
 * ({@code jobName}, {@code nodeOverrides}, ...), unset fields left out. For {@code --dry-run}.
 */
public final class RequestJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RequestJson() {}

  public static ObjectNode of(SdkPojo pojo) {
    ObjectNode node = NODES.objectNode();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = field.getValueOrDefault(pojo);
      JsonNode json = value(value);
      if (json != null) {
        node.set(field.locationName(), json);
      }
    }
    return node;
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof SdkPojo pojo) {
      return of(pojo);
    }
    if (value instanceof Collection<?> items) {
      if (items instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>) {
        return null;
      }
      ArrayNode array = NODES.arrayNode();
      items.forEach(item -> array.add(value(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      if (map instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>) {
        return null;
      }
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
      return object;
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    return NODES.textNode(String.valueOf(value));
  }
}
