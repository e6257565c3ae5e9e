package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.pipeline.Segment;
import io.observes.storage.S3Uri;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The export's formats on their own: DynamoDB JSON both ways, hostile values, file assignment, export paths. */
class ExportFormatTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyAttributeTypeSurvivesDynamoJsonBothWays() throws Exception {
    Map<String, AttributeValue> item = Map.of(
        "s", AttributeValue.fromS("é \"quoted\" \u0000"),
        "n", AttributeValue.fromN("-1.2345678901234567890123456789012345678E+125"),
        "plain", AttributeValue.fromN("99999999999999999999999999999999999999" + "0".repeat(88)),
        "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 127})),
        "bool", AttributeValue.fromBool(false),
        "null", AttributeValue.fromNul(true),
        "m", AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromM(Map.of()))))),
        "ss", AttributeValue.fromSs(List.of("b", "a")),
        "ns", AttributeValue.fromNs(List.of("10", "-2.5")),
        "bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {9}))));
    String line = DynamoJson.write(item).toString();
    assertThat(DynamoJson.item(JSON.readTree(line), "line 1")).isEqualTo(item);
    // As AWS documents a line of an export's data file.
    assertThat(DynamoJson.item(JSON.readTree("{\"Authors\":{\"SS\":[\"Author1\",\"Author2\"]},\"Id\":{\"N\":\"103\"},"
        + "\"InPublication\":{\"BOOL\":false}}"), "doc")).containsEntry("Id", AttributeValue.fromN("103"))
        .containsEntry("Authors", AttributeValue.fromSs(List.of("Author1", "Author2")));
  }

  @Test
  void aBadValueIsNamedByItsPath() {
    Map<String, String> bad = Map.of(
        "{\"a\":{\"S\":1}}", "f.a: S holds a JSON string, not a JSON number",
        "{\"a\":{\"N\":\"1e\"}}", "f.a: '1e' is not a DynamoDB number",
        "{\"a\":{\"N\":\"1234567890123456789012345678901234567890\"}}", "more than 38 digits",
        "{\"a\":{\"S\":\"x\",\"N\":\"1\"}}", "f.a: a DynamoDB attribute value is a JSON object with one type",
        "{\"a\":{\"X\":\"1\"}}", "f.a: unknown DynamoDB attribute type 'X'",
        "{\"a\":{\"M\":{\"b\":{\"L\":[{\"B\":\"***\"}]}}}}", "f.a.b[0]: binary value is not base64",
        "{\"a\":{\"NULL\":false}}", "f.a: NULL holds true",
        "[]", "f: a DynamoDB item is a JSON object");
    bad.forEach((json, message) -> assertThatThrownBy(() -> DynamoJson.item(JSON.readTree(json), "f"))
        .as(json).hasMessageContaining(message));
  }

  static TableExport export(String prefix) {
    String arn = "arn:aws:dynamodb:us-east-1:123456789012:table/integrates_vms/export/01605130432834-8a918b87";
    return new TableExport(arn, Instant.parse("2026-11-23T03:00:00Z"), "data", prefix,
        TableExport.directory(prefix, "01605130432834-8a918b87") + "manifest-summary.json", 7);
  }

  @Test
  void anExportsFilesAreUnderItsOwnFolderAndItsManifestMustBeThere() {
    assertThat(export("dynamodb/exports").directory()).isEqualTo("dynamodb/exports/AWSDynamoDB/01605130432834-8a918b87/");
    assertThat(export("").filesManifest()).isEqualTo(new S3Uri("data", "AWSDynamoDB/01605130432834-8a918b87/manifest-files.json"));
    assertThat(TableExport.fromJson(export("p").toJson(), "state")).isEqualTo(export("p"));
    assertThatThrownBy(() -> new TableExport(export("p").arn(), Instant.EPOCH, "data", "p", "other/manifest-summary.json", 1))
        .hasMessageContaining("is not p/AWSDynamoDB/01605130432834-8a918b87/manifest-summary.json");
    assertThatThrownBy(() -> new TableExport("arn:aws:dynamodb:us-east-1:1:table/t/export/../x", Instant.EPOCH, "d", "",
        "x", 1)).hasMessageContaining("is not the ARN of a DynamoDB export");
  }

  @Test
  void eachFileGoesToExactlyOneSegment() {
    List<ExportManifest.DataFile> files = new ArrayList<>();
    IntStream.range(0, 7).forEach(i -> files.add(new ExportManifest.DataFile(i, new S3Uri("b", "f" + i), 1, "x", null)));
    ExportManifest manifest = new ExportManifest(export("p"), 7, files);
    List<ExportManifest.DataFile> read = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      read.addAll(manifest.of(new Segment(s, 3)));
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(files);
    assertThat(manifest.of(new Segment(1, 3))).extracting(ExportManifest.DataFile::index).containsExactly(1, 4);
    assertThat(manifest.of(new Segment(9, 10))).isEmpty();
  }
}
