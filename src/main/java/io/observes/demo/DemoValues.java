package io.observes.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short spellings of DynamoDB attribute values and the demo's deterministic ids. */
final class DemoValues {
  private DemoValues() {}

  static Map<String, AttributeValue> keys(String pk, String sk) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(pk));
    item.put("sk", s(sk));
    return item;
  }

  static String id(int i) {
    return new UUID(0x5eed_0000_0000_0000L | i, i * 2654435761L).toString();
  }

  static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  static AttributeValue n(String value) {
    return AttributeValue.builder().n(value).build();
  }

  static AttributeValue m(Map<String, AttributeValue> value) {
    return AttributeValue.builder().m(value).build();
  }

  static AttributeValue l(List<AttributeValue> value) {
    return AttributeValue.builder().l(value).build();
  }
}
