package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Lines of an incremental export as AWS's output-format page describes them (insert, update, delete), and bad ones. */
class IncrementalChangeTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static IncrementalChange parse(String line) throws Exception {
    return IncrementalChange.parse(JSON.readTree(line), "f line 1");
  }

  @Test
  void insertsUpdatesAndDeletesAreReadWithTheirWriteTime() throws Exception {
    IncrementalChange insert = parse("{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1680109764000000\"}},"
        + "\"Keys\":{\"pk\":{\"S\":\"GROUP#g1\"},\"sk\":{\"S\":\"META\"}},"
        + "\"NewImage\":{\"pk\":{\"S\":\"GROUP#g1\"},\"sk\":{\"S\":\"META\"},\"n\":{\"N\":\"2\"}}}");
    assertThat(insert.deleted()).isFalse();
    assertThat(insert.writeMicros()).isEqualTo(1680109764000000L);
    assertThat(insert.newImage().orElseThrow()).containsEntry("n", AttributeValue.fromN("2"));
    assertThat(insert.keys()).isEqualTo(Map.of("pk", AttributeValue.fromS("GROUP#g1"), "sk", AttributeValue.fromS("META")));

    IncrementalChange update = parse("{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1680109765000001\"}},"
        + "\"Keys\":{\"pk\":{\"S\":\"a\"}},\"OldImage\":{\"pk\":{\"S\":\"a\"},\"v\":{\"S\":\"old\"}},"
        + "\"NewImage\":{\"pk\":{\"S\":\"a\"},\"v\":{\"S\":\"new\"}}}");
    assertThat(update.newImage().orElseThrow()).containsEntry("v", AttributeValue.fromS("new"));

    IncrementalChange delete = parse("{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1680109766000000\"}},"
        + "\"Keys\":{\"pk\":{\"S\":\"a\"}},\"OldImage\":{\"pk\":{\"S\":\"a\"},\"v\":{\"S\":\"new\"}}}");
    assertThat(delete.deleted()).isTrue();
    assertThat(delete.keys()).containsEntry("pk", AttributeValue.fromS("a"));
  }

  @Test
  void aBadLineIsRefusedNamingItsPlace() {
    Map<String, String> bad = Map.of(
        "{\"Item\":{\"pk\":{\"S\":\"a\"}}}", "f line 1: a line of an incremental export has Metadata, Keys, NewImage and OldImage, not 'Item'",
        "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1\"}}}", "f line 1: a line of an incremental export has Keys",
        "{\"Keys\":{\"pk\":{\"S\":\"a\"}}}", "f line 1 Metadata.WriteTimestampMicros",
        "{\"Keys\":{\"pk\":{\"S\":\"a\"}},\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1.5\"}}}", "positive whole number",
        "{\"Keys\":{\"pk\":{\"S\":\"a\"}},\"Metadata\":{\"WriteTimestampMicros\":{\"S\":\"1\"}}}", "positive whole number",
        "{\"Keys\":{},\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1\"}}}", "Keys is empty",
        "{\"Keys\":{\"pk\":{\"S\":\"a\"}},\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1\"}},\"NewImage\":{\"pk\":{\"S\":\"b\"}}}",
            "NewImage.pk is not the item's key",
        "{\"Keys\":{\"pk\":{\"S\":\"a\"}},\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1\"}},\"NewImage\":{\"pk\":{\"X\":\"a\"}}}",
            "f line 1 NewImage.pk: unknown DynamoDB attribute type 'X'",
        "{\"Keys\":{\"pk\":{\"S\":\"a\"}},\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1\"}},\"OldImage\":[]}",
            "f line 1 OldImage: a DynamoDB item is a JSON object");
    bad.forEach((json, message) -> assertThatThrownBy(() -> parse(json)).as(json).hasMessageContaining(message));
  }
}
