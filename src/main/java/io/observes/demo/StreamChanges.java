package io.observes.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.etl.dynamo.DynamoJson;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A table's changes, read from its DynamoDB Local stream (NEW_AND_OLD_IMAGES), for the incremental
 * exports of {@link ExportStandIn}. DynamoDB Local stamps stream records with the wall clock, but a
 * test or the demo cannot wait the 15 minutes of AWS's shortest window, so each change is stamped instead with the
 * test's time when {@link #capture} reads it (one microsecond apart, in stream order): a test writes,
 * captures at a time it chooses, writes again, captures later, and asks for windows over those times.
 */
final class StreamChanges {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One stream record: the item's keys, its image before and after (none for a delete), its stamped time. */
  record Change(Map<String, AttributeValue> keys, Optional<Map<String, AttributeValue>> oldImage,
      Optional<Map<String, AttributeValue>> newImage, long micros) {}

  private final DynamoDbClient dynamo;
  private final DynamoDbStreamsClient streams;
  private final Map<String, List<Change>> changes = new HashMap<>();
  /** Per shard, the last sequence number read. */
  private final Map<String, String> read = new HashMap<>();

  StreamChanges(DynamoDbClient dynamo, URI dynamoLocal) {
    this.dynamo = dynamo;
    this.streams = DynamoDbStreamsClient.builder().endpointOverride(dynamoLocal)
        .region(dynamo.serviceClientConfiguration().region())
        .credentialsProvider(dynamo.serviceClientConfiguration().credentialsProvider()).build();
  }

  /** Turns the table's stream on (new and old images); changes made before are not seen. */
  void enable(String table) {
    dynamo.updateTable(b -> b.tableName(table).streamSpecification(s -> s.streamEnabled(true)
        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
  }

  /** Reads every change made since the last capture and stamps them at {@code millis}. */
  synchronized void capture(String table, long millis) {
    String arn = dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn();
    if (arn == null) {
      throw new IllegalStateException(table + " has no stream: call enableStream before writing");
    }
    List<Change> log = changes.computeIfAbsent(table, t -> new ArrayList<>());
    long micros = Math.max(millis * 1000, log.isEmpty() ? 0 : log.get(log.size() - 1).micros() + 1);
    for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
      String after = read.get(shard.shardId());
      String iterator = streams.getShardIterator(b -> {
        b.streamArn(arn).shardId(shard.shardId());
        if (after == null) {
          b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        } else {
          b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
        }
      }).shardIterator();
      // An open shard's iterator never runs out: read until a call brings nothing.
      while (iterator != null) {
        String current = iterator;
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
        if (page.records().isEmpty()) {
          break;
        }
        for (Record r : page.records()) {
          var d = r.dynamodb();
          log.add(new Change(d.keys(), d.hasOldImage() ? Optional.of(repaired(d.oldImage())) : Optional.empty(),
              d.hasNewImage() && !"REMOVE".equals(r.eventNameAsString()) ? Optional.of(repaired(d.newImage()))
                  : Optional.empty(),
              micros++));
          read.put(shard.shardId(), d.sequenceNumber());
        }
        iterator = page.nextShardIterator();
      }
    }
  }

  /**
   * The lines of an incremental export of [fromMillis - drift, toMillis): each item changed there once,
   * with the image before its first change there and after its last (no NewImage if it was deleted)
   * and the time of that last change, as AWS compacts a window. {@code driftMillis} widens the window
   * backwards, as AWS's window edges drift, so an item may appear in two adjacent windows.
   */
  synchronized List<ObjectNode> window(String table, long fromMillis, long toMillis, long driftMillis) {
    Map<Map<String, AttributeValue>, Change[]> items = new LinkedHashMap<>();
    for (Change c : changes.getOrDefault(table, List.of())) {
      if (c.micros() >= (fromMillis - driftMillis) * 1000 && c.micros() < toMillis * 1000) {
        Change[] firstLast = items.computeIfAbsent(c.keys(), k -> new Change[] {c, c});
        firstLast[1] = c;
      }
    }
    List<ObjectNode> lines = new ArrayList<>();
    items.forEach((keys, firstLast) -> {
      ObjectNode line = JSON.createObjectNode();
      line.putObject("Metadata").putObject("WriteTimestampMicros").put("N", Long.toString(firstLast[1].micros()));
      line.set("Keys", DynamoJson.write(new LinkedHashMap<>(keys)));
      firstLast[0].oldImage().ifPresent(old -> line.set("OldImage", DynamoJson.write(new LinkedHashMap<>(old))));
      firstLast[1].newImage().ifPresent(img -> line.set("NewImage", DynamoJson.write(new LinkedHashMap<>(img))));
      lines.add(line);
    });
    return lines;
  }

  void close() {
    streams.close();
  }

  /**
   * The SDK reads an empty map ({@code {"M": {}}}) in a stream record as a value of no type at all
   * (UNKNOWN_TO_SDK_VERSION); the demo data's empty maps are made empty maps again. An empty list
   * would be read the same way and made a map: a limitation of this stand-in (docs/dynamo.md).
   */
  static Map<String, AttributeValue> repaired(Map<String, AttributeValue> image) {
    Map<String, AttributeValue> fixed = new java.util.LinkedHashMap<>();
    image.forEach((name, value) -> fixed.put(name, repaired(value)));
    return fixed;
  }

  private static AttributeValue repaired(AttributeValue value) {
    return switch (value.type()) {
      case UNKNOWN_TO_SDK_VERSION -> AttributeValue.fromM(Map.of());
      case M -> AttributeValue.fromM(repaired(value.m()));
      case L -> AttributeValue.fromL(value.l().stream().map(StreamChanges::repaired).toList());
      default -> value;
    };
  }
}
