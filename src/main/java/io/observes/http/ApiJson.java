package io.observes.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The mapper API answers are read with. Numbers stay exact, as the API wrote them: a decimal is a
 * BigDecimal with its scale ({@code 85.30} stays {@code 85.30}, never the double 85.3), so the
 * warehouse gets the very value the API sent. Unknown fields of typed records are kept in the tree,
 * never a failure.
 *
 * <p>No number makes an answer unreadable: numbers may be as long as strings (Jackson's default
 * stops at 1,000 characters) and are parsed in less than quadratic time; read through
 * {@link #parser}, a number no BigDecimal holds becomes a raw-number node (see
 * {@link OutOfRangeNumbers}). Invalid UTF-8 is refused by Jackson's byte parser, never replaced.
 */
public final class ApiJson {
  /** As long as the longest string Jackson reads by default: a number is text no shorter than its digits. */
  public static final int MAX_NUMBER_CHARS = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

  public static final ObjectMapper MAPPER = JsonMapper.builder(factory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .build();

  private ApiJson() {}

  /** A JSON factory whose parsers take numbers of any length up to {@link #MAX_NUMBER_CHARS}, parsed fast. */
  public static JsonFactory factory() {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_CHARS).build())
        .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
        .build();
  }

  /** A parser of {@code body} for {@link #MAPPER}'s trees, keeping numbers no BigDecimal holds. */
  public static JsonParser parser(InputStream body) throws IOException {
    JsonParser parser = new OutOfRangeNumbers(MAPPER.getFactory().createParser(body));
    parser.setCodec(MAPPER);
    return parser;
  }

  /**
   * Why a body could not be read, and where: the parser's own words and the byte offset (e.g.
   * "Invalid UTF-8 middle byte 0x22, near byte 14 (line 1, column 15)": the parser says where it
   * noticed, just past the bad sequence).
   */
  public static String problem(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
      com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
      return json.getOriginalMessage() + ", near byte " + at.getByteOffset() + " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")";
    }
    return String.valueOf(e.getMessage());
  }

  /** {@code bytes} as a tree, keeping numbers no BigDecimal holds (as raw-number nodes). */
  public static JsonNode readTree(byte[] bytes) throws IOException {
    try (JsonParser parser = new OutOfRangeNumbers(MAPPER.getFactory().createParser(bytes))) {
      parser.setCodec(MAPPER);
      JsonNode tree = MAPPER.readTree(parser);
      return tree == null ? MAPPER.missingNode() : tree;
    }
  }
}
