package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.storage.S3ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.testing.PostgresStandIn;
import io.observes.demo.ExportStandIn;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.InvalidExportTimeException;
import software.amazon.awssdk.services.s3.S3Client;

/** Incremental exports from {@link ExportStandIn}: the documented layout and oddities, read back with {@link IncrementalChange}. */
class IncrementalExportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static DemoStack stack;
  static DynamoDbClient dynamo;
  static DynamoDbClient sdk;
  static S3Client s3;
  static ExportStandIn exports;

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start(PostgresStandIn::forStack);
    AwsSettings aws = AwsSettings.from(new Environment(stack.environment("unused")));
    dynamo = AwsClients.dynamo(aws);
    s3 = AwsClients.s3(aws);
    s3.createBucket(b -> b.bucket(DemoStack.DATA_BUCKET));
    exports = new ExportStandIn(stack.dynamoEndpoint(), dynamo, s3);
    sdk = DynamoDbClient.builder().endpointOverride(exports.endpoint())
        .region(dynamo.serviceClientConfiguration().region())
        .credentialsProvider(dynamo.serviceClientConfiguration().credentialsProvider()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    exports.close();
    sdk.close();
    s3.close();
    dynamo.close();
    stack.close();
  }

  static Map<String, AttributeValue> item(String pk, String value) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("META"), "v", AttributeValue.fromS(value));
  }

  /** Requests the window [from, to), waits for it, and reads its changes by the item's pk. */
  static Map<String, IncrementalChange> window(String table, Instant from, Instant to) throws Exception {
    String tableArn = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
    ExportDescription d = sdk.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket(DemoStack.DATA_BUCKET)
        .s3Prefix("incr").exportType(ExportType.INCREMENTAL_EXPORT)
        .incrementalExportSpecification(s -> s.exportFromTime(from).exportToTime(to))).exportDescription();
    for (int i = 0; i < 20 && !d.exportStatusAsString().equals("COMPLETED"); i++) {
      String arn = d.exportArn();
      d = sdk.describeExport(b -> b.exportArn(arn)).exportDescription();
    }
    assertThat(d.exportStatusAsString()).isEqualTo("COMPLETED");
    assertThat(d.exportTypeAsString()).isEqualTo("INCREMENTAL_EXPORT");
    assertThat(d.incrementalExportSpecification().exportFromTime()).isEqualTo(from);
    String manifest = d.exportManifest();
    JsonNode summary = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(DemoStack.DATA_BUCKET).key(manifest)).asUtf8String());
    assertThat(summary.get("exportType").asText()).isEqualTo("INCREMENTAL_EXPORT");
    String files = s3.getObjectAsBytes(b -> b.bucket(DemoStack.DATA_BUCKET).key(summary.get("manifestFilesS3Key").asText()))
        .asString(StandardCharsets.UTF_8);
    S3ObjectStore store = new S3ObjectStore(s3);
    List<IncrementalChange> changes = new ArrayList<>();
    int index = 0;
    for (String line : files.split("\n")) {
      JsonNode f = JSON.readTree(line);
      assertThat(f.get("dataFileS3Key").asText()).startsWith("incr/AWSDynamoDB/data/");
      var file = new ExportManifest.DataFile(index++, new S3Uri(DemoStack.DATA_BUCKET, f.get("dataFileS3Key").asText()),
          f.get("itemCount").asLong(), f.get("md5Checksum").asText(), f.get("etag").asText());
      try (var read = IncrementalChange.read(store, file)) {
        read.forEach(changes::add);
      }
    }
    Map<String, IncrementalChange> byPk = changes.stream().collect(Collectors.toMap(c -> c.keys().get("pk").s(), c -> c));
    assertThat(byPk).as("each item once in a window").hasSize(changes.size());
    return byPk;
  }

  @Test
  void aWindowHoldsEachChangedItemOnceWithItsLastImageAndDeletesWithout() throws Exception {
    String table = "incremental1";
    DemoData.createTable(dynamo, table);
    exports.enableStream(table);
    Instant t0 = Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    for (String pk : List.of("a", "b", "c")) {
      dynamo.putItem(b -> b.tableName(table).item(item(pk, "1")));
    }
    exports.captureChanges(table, t0.plusSeconds(60));
    dynamo.putItem(b -> b.tableName(table).item(item("a", "2")));
    dynamo.putItem(b -> b.tableName(table).item(item("a", "3")));
    dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("b"), "sk", AttributeValue.fromS("META"))));
    exports.captureChanges(table, t0.plus(Duration.ofMinutes(29).plusSeconds(30)));
    dynamo.putItem(b -> b.tableName(table).item(item("d", "1")));
    exports.captureChanges(table, t0.plus(Duration.ofMinutes(40)));

    Map<String, IncrementalChange> first = window(table, t0, t0.plus(Duration.ofMinutes(30)));
    assertThat(first).containsOnlyKeys("a", "b", "c");
    assertThat(first.get("a").newImage().orElseThrow().get("v").s()).isEqualTo("3");
    assertThat(first.get("b").deleted()).isTrue();
    assertThat(first.get("c").writeMicros()).isEqualTo(t0.plusSeconds(60).toEpochMilli() * 1000 + 2);

    // AWS's edges drift: the next window also shows what changed in its last minute before it.
    Map<String, IncrementalChange> second = window(table, t0.plus(Duration.ofMinutes(30)), t0.plus(Duration.ofMinutes(45)));
    assertThat(second).containsOnlyKeys("a", "b", "d");
    assertThat(second.get("a").writeMicros()).isEqualTo(first.get("a").writeMicros());
    assertThat(second.get("d").newImage()).isPresent();

    String tableArn = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
    assertThatThrownBy(() -> sdk.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket(DemoStack.DATA_BUCKET)
        .exportType(ExportType.INCREMENTAL_EXPORT)
        .incrementalExportSpecification(s -> s.exportFromTime(t0).exportToTime(t0.plus(Duration.ofMinutes(10))))))
        .isInstanceOf(InvalidExportTimeException.class).hasMessageContaining("between 15 minutes and 24 hours");
  }

  @Test
  void tableExportsRequestsAWindowOnceAndItsManifestsAreReadAsHostile() throws Exception {
    String table = "incremental2";
    DemoData.createTable(dynamo, table);
    exports.enableStream(table);
    Instant t0 = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    dynamo.putItem(b -> b.tableName(table).item(item("a", "1")));
    dynamo.putItem(b -> b.tableName(table).item(item("gone", "1")));
    dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("gone"), "sk", AttributeValue.fromS("META"))));
    exports.captureChanges(table, t0.plusSeconds(120));

    TableExports tableExports = new TableExports(sdk, table);
    IncrementalWindows.Window window = IncrementalWindows.plan(t0, t0.plus(Duration.ofMinutes(20))).get(0);
    String arn = tableExports.startIncremental(window, DemoStack.DATA_BUCKET, "incr2").exportArn();
    assertThat(tableExports.startIncremental(window, DemoStack.DATA_BUCKET, "incr2").exportArn())
        .as("the window's client token gives back the same export").isEqualTo(arn);
    List<String> progress = new ArrayList<>();
    IncrementalExport incremental = tableExports.awaitIncremental(arn, window,
        new TableExports.Wait(Duration.ofSeconds(1), Duration.ofMinutes(1)), d -> {}, java.time.Clock.systemUTC(),
        progress::add);
    assertThat(incremental.window()).isEqualTo(window);
    assertThat(progress).last().asString().contains("COMPLETED");
    assertThatThrownBy(() -> tableExports.await(arn, new TableExports.Wait(Duration.ofSeconds(1), Duration.ofMinutes(1)),
        d -> {}, java.time.Clock.systemUTC(), line -> {})).hasMessageContaining("not a FULL_EXPORT");
    IncrementalWindows.Window other = new IncrementalWindows.Window(window.from(), window.to().plusSeconds(1));
    assertThatThrownBy(() -> tableExports.awaitIncremental(arn, other, new TableExports.Wait(Duration.ofSeconds(1),
        Duration.ofMinutes(1)), d -> {}, java.time.Clock.systemUTC(), line -> {})).hasMessageContaining("not the window asked for");

    S3ObjectStore store = new S3ObjectStore(s3);
    ExportManifest manifest = ExportManifest.read(store, incremental);
    assertThat(manifest.files()).allSatisfy(f -> assertThat(f.uri().key()).startsWith("incr2/AWSDynamoDB/data/"));
    Map<String, Boolean> deleted = new java.util.TreeMap<>();
    for (ExportManifest.DataFile file : manifest.files()) {
      try (var read = IncrementalChange.read(store, file)) {
        read.forEach(c -> deleted.put(c.keys().get("pk").s(), c.deleted()));
      }
    }
    assertThat(deleted).containsOnlyKeys("a", "gone").containsEntry("gone", true).containsEntry("a", false);

    String summaryKey = incremental.export().manifestKey();
    String summary = s3.getObjectAsBytes(b -> b.bucket(DemoStack.DATA_BUCKET).key(summaryKey)).asUtf8String();
    String filesKey = incremental.export().filesManifest().key();
    String files = s3.getObjectAsBytes(b -> b.bucket(DemoStack.DATA_BUCKET).key(filesKey)).asUtf8String();
    Map<String, String> hostile = Map.of(
        summary.replace(window.to().toString(), window.to().plusSeconds(60).toString()), "its exportToTime is",
        summary.replace("INCREMENTAL_EXPORT", "FULL_EXPORT"), "not INCREMENTAL_EXPORT");
    for (var e : hostile.entrySet()) {
      put(summaryKey, e.getKey());
      assertThatThrownBy(() -> ExportManifest.read(store, incremental)).hasMessageContaining(e.getValue());
    }
    put(summaryKey, summary);
    put(filesKey, files.replace("incr2/AWSDynamoDB/data/", incremental.export().directory() + "data/"));
    assertThatThrownBy(() -> ExportManifest.read(store, incremental))
        .hasMessageContaining("in the export's data folder incr2/AWSDynamoDB/data/", "refusing to read it");
    put(filesKey, files);
    assertThat(ExportManifest.read(store, incremental).itemCount()).isEqualTo(2);
  }

  static void put(String key, String text) {
    s3.putObject(b -> b.bucket(DemoStack.DATA_BUCKET).key(key),
        software.amazon.awssdk.core.sync.RequestBody.fromString(text, StandardCharsets.UTF_8));
  }
}
