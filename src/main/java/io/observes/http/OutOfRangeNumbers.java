package io.observes.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;

/**
 * A parser that hands a JSON number no BigDecimal holds (its exponent beyond +-2^31, as in
 * {@code 1e-2147483648}: valid JSON, exact) on as an embedded {@link RawValue} of its text, so a tree
 * keeps it as a {@code RawValueNode} (written back as the same number) instead of the whole answer
 * failing on one value. Every other token passes unchanged.
 */
final class OutOfRangeNumbers extends JsonParserDelegate {
  /** The current token's number when no BigDecimal holds it, else null. */
  private RawValue beyond;

  OutOfRangeNumbers(JsonParser parser) {
    super(parser);
  }

  @Override
  public JsonToken nextToken() throws IOException {
    beyond = null;
    JsonToken token = delegate.nextToken();
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      try {
        // Parsed once here and kept by the parser, so the tree's own read costs nothing more.
        delegate.getDecimalValue();
      } catch (NumberFormatException e) {
        beyond = new RawValue(delegate.getText());
        return JsonToken.VALUE_EMBEDDED_OBJECT;
      }
    }
    return token;
  }

  @Override
  public String nextFieldName() throws IOException {
    beyond = null;
    return delegate.nextFieldName();
  }

  @Override
  public boolean nextFieldName(SerializableString name) throws IOException {
    beyond = null;
    return delegate.nextFieldName(name);
  }

  @Override
  public JsonToken nextValue() throws IOException {
    JsonToken token = nextToken();
    return token == JsonToken.FIELD_NAME ? nextToken() : token;
  }

  @Override
  public JsonParser skipChildren() throws IOException {
    if (beyond != null) {
      return this;
    }
    return super.skipChildren();
  }

  @Override
  public JsonToken currentToken() {
    return beyond != null ? JsonToken.VALUE_EMBEDDED_OBJECT : delegate.currentToken();
  }

  @Override
  @Deprecated
  public JsonToken getCurrentToken() {
    return currentToken();
  }

  @Override
  public int currentTokenId() {
    return beyond != null ? JsonTokenId.ID_EMBEDDED_OBJECT : delegate.currentTokenId();
  }

  @Override
  @Deprecated
  public int getCurrentTokenId() {
    return currentTokenId();
  }

  @Override
  public boolean hasToken(JsonToken t) {
    return beyond != null ? t == JsonToken.VALUE_EMBEDDED_OBJECT : delegate.hasToken(t);
  }

  @Override
  public boolean hasTokenId(int id) {
    return beyond != null ? id == JsonTokenId.ID_EMBEDDED_OBJECT : delegate.hasTokenId(id);
  }

  @Override
  public boolean isExpectedNumberIntToken() {
    return beyond == null && delegate.isExpectedNumberIntToken();
  }

  @Override
  public Object getEmbeddedObject() throws IOException {
    return beyond != null ? beyond : delegate.getEmbeddedObject();
  }
}
