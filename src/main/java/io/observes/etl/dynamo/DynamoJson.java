package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's marshalled JSON ({@code {"pk": {"S": "x"}, "n": {"N": "1.5"}}}), the format of an
 * export's data files, to and from {@link AttributeValue}s. Reading trusts nothing: every attribute
 * value must be an object with exactly one known type, numbers must be numbers, binaries base64,
 * and anything else is an error naming the path to the bad value.
 */
public final class DynamoJson {
  private DynamoJson() {}

  /** An item: a JSON object of attribute name -> attribute value. */
  public static Map<String, AttributeValue> item(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": a DynamoDB item is a JSON object, not " + kind(node));
    }
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      item.put(field.getKey(), value(field.getValue(), where + "." + field.getKey()));
    }
    return item;
  }

  /** One attribute value: an object with exactly one of S, N, B, BOOL, NULL, M, L, SS, NS, BS. */
  public static AttributeValue value(JsonNode node, String where) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw new IllegalArgumentException(where + ": a DynamoDB attribute value is a JSON object with one type "
          + "(S, N, B, BOOL, NULL, M, L, SS, NS, BS), not " + kind(node));
    }
    Map.Entry<String, JsonNode> only = node.fields().next();
    String type = only.getKey();
    JsonNode v = only.getValue();
    return switch (type) {
      case "S" -> AttributeValue.fromS(text(v, where, type));
      case "N" -> AttributeValue.fromN(number(text(v, where, type), where));
      case "B" -> AttributeValue.fromB(binary(text(v, where, type), where));
      case "BOOL" -> {
        if (!v.isBoolean()) {
          throw new IllegalArgumentException(where + ": BOOL holds true or false, not " + kind(v));
        }
        yield AttributeValue.fromBool(v.booleanValue());
      }
      case "NULL" -> {
        if (!v.isBoolean() || !v.booleanValue()) {
          throw new IllegalArgumentException(where + ": NULL holds true, not " + kind(v));
        }
        yield AttributeValue.fromNul(true);
      }
      case "M" -> AttributeValue.fromM(item(v, where));
      case "L" -> {
        List<AttributeValue> list = new ArrayList<>();
        for (JsonNode element : array(v, where, type)) {
          list.add(value(element, where + "[" + list.size() + "]"));
        }
        yield AttributeValue.fromL(list);
      }
      case "SS" -> AttributeValue.fromSs(texts(v, where, type));
      case "NS" -> AttributeValue.fromNs(texts(v, where, type).stream().map(n -> number(n, where)).toList());
      case "BS" -> AttributeValue.fromBs(texts(v, where, type).stream().map(b -> binary(b, where)).toList());
      default -> throw new IllegalArgumentException(where + ": unknown DynamoDB attribute type '" + type
          + "'; this version of Observes knows S, N, B, BOOL, NULL, M, L, SS, NS and BS");
    };
  }

  /** An item as marshalled JSON: what an export writes per item under {@code "Item"}. */
  public static ObjectNode write(Map<String, AttributeValue> item) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    item.forEach((name, value) -> node.set(name, write(value)));
    return node;
  }

  public static ObjectNode write(AttributeValue a) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    switch (a.type()) {
      case S -> node.put("S", a.s());
      case N -> node.put("N", a.n());
      case B -> node.put("B", Base64.getEncoder().encodeToString(a.b().asByteArray()));
      case BOOL -> node.put("BOOL", a.bool());
      case NUL -> node.put("NULL", true);
      case M -> node.set("M", write(a.m()));
      case L -> {
        ArrayNode list = node.putArray("L");
        a.l().forEach(element -> list.add(write(element)));
      }
      case SS -> a.ss().forEach(node.putArray("SS")::add);
      case NS -> a.ns().forEach(node.putArray("NS")::add);
      case BS -> {
        ArrayNode set = node.putArray("BS");
        a.bs().forEach(b -> set.add(Base64.getEncoder().encodeToString(b.asByteArray())));
      }
      default -> throw new IllegalArgumentException("unsupported DynamoDB attribute type " + a.type());
    }
    return node;
  }

  private static String text(JsonNode v, String where, String type) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": " + type + " holds a JSON string, not " + kind(v));
    }
    return v.textValue();
  }

  private static JsonNode array(JsonNode v, String where, String type) {
    if (!v.isArray()) {
      throw new IllegalArgumentException(where + ": " + type + " holds a JSON array, not " + kind(v));
    }
    return v;
  }

  private static List<String> texts(JsonNode v, String where, String type) {
    List<String> texts = new ArrayList<>();
    for (JsonNode element : array(v, where, type)) {
      texts.add(text(element, where + "[" + texts.size() + "]", type + " element"));
    }
    return texts;
  }

  /** DynamoDB numbers: up to 38 significant digits; the text is kept as written. */
  private static String number(String n, String where) {
    try {
      BigDecimal parsed = new BigDecimal(n);
      if (parsed.stripTrailingZeros().precision() > 38 || n.length() > 200) {
        throw new NumberFormatException("more than 38 digits");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + shorten(n) + "' is not a DynamoDB number (" + e.getMessage() + ")");
    }
  }

  private static SdkBytes binary(String b, String where) {
    try {
      return SdkBytes.fromByteArray(Base64.getDecoder().decode(b));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": binary value is not base64 (" + e.getMessage() + ")");
    }
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return node.isObject() ? "an object with " + node.size() + " fields" : "a JSON " + node.getNodeType().name().toLowerCase();
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
