package io.observes.etl.dynamo;

import io.observes.pipeline.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB items as {@link Value} trees, exactly: N keeps its decimal text (up to 38 digits, any
 * exponent), B stays bytes (staged as base64), M and L nest, and SS/NS/BS become sets ordered by
 * value, so a set's element ids do not depend on the order DynamoDB returns them in. Attributes are
 * ordered by name for the same reason.
 */
public final class DynamoItems {
  private DynamoItems() {}

  public static Value.Obj toValue(Map<String, AttributeValue> item) {
    Map<String, Value> fields = new LinkedHashMap<>();
    new TreeMap<>(item).forEach((name, attribute) -> fields.put(name, toValue(attribute)));
    return new Value.Obj(fields);
  }

  public static Value toValue(AttributeValue a) {
    switch (a.type()) {
      case S:
        return new Value.Text(a.s());
      case N:
        return new Value.Numeric(new BigDecimal(a.n()), a.n());
      case B:
        return new Value.Binary(a.b().asByteArray());
      case BOOL:
        return new Value.Bool(a.bool());
      case NUL:
        return Value.Null.INSTANCE;
      case M:
        return toValue(a.m());
      case L:
        List<Value> items = new ArrayList<>(a.l().size());
        a.l().forEach(item -> items.add(toValue(item)));
        return Value.Array.list(items);
      case SS:
        return new Value.Array(a.ss().stream().sorted().<Value>map(Value.Text::new).toList(), true);
      case NS:
        return new Value.Array(a.ns().stream()
            .sorted(Comparator.comparing(BigDecimal::new))
            .<Value>map(n -> new Value.Numeric(new BigDecimal(n), n))
            .toList(), true);
      case BS:
        return new Value.Array(a.bs().stream()
            .map(SdkBytes::asByteArray)
            .sorted(java.util.Arrays::compareUnsigned)
            .<Value>map(Value.Binary::new)
            .toList(), true);
      default:
        throw new IllegalArgumentException("unsupported DynamoDB attribute type " + a.type()
            + "; this version of Observes knows S, N, B, BOOL, NULL, M, L, SS, NS and BS");
    }
  }

  /** A key attribute as text, for the row id: S as is, N as its text, B as base64. */
  public static String keyText(AttributeValue a) {
    return switch (a.type()) {
      case S -> a.s();
      case N -> a.n();
      case B -> java.util.Base64.getEncoder().encodeToString(a.b().asByteArray());
      default -> throw new IllegalArgumentException("a DynamoDB key attribute is S, N or B, not " + a.type());
    };
  }
}
