package io.observes.etl.dynamo;

import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * One segment of a parallel Scan as a lazy stream of records: pages are read as they are consumed,
 * eventually consistent, following {@code LastEvaluatedKey} until DynamoDB returns none (a page may
 * be empty and still have one). Throttling is retried by the client's retry strategy.
 */
public final class SegmentScan implements SegmentReader {
  /** What to scan and how fast. {@code maxReadUnits} <= 0 means no limit. */
  public record Settings(String table, int pageSize, double maxReadUnits) {
    public Settings {
      Objects.requireNonNull(table, "table");
      if (pageSize < 1 || pageSize > 10_000) {
        throw new IllegalArgumentException("the page size must be 1..10000 items, was " + pageSize);
      }
    }
  }

  private final DynamoDbClient dynamo;
  private final Settings settings;
  private final TableRouting routing;
  private final String partitionKey;
  private final String sortKey;

  public SegmentScan(DynamoDbClient dynamo, Settings settings, TableRouting routing) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.routing = Objects.requireNonNull(routing, "routing");
    List<KeySchemaElement> keys = dynamo.describeTable(b -> b.tableName(settings.table())).table().keySchema();
    this.partitionKey = keys.stream().filter(k -> k.keyType() == KeyType.HASH).findFirst().orElseThrow().attributeName();
    this.sortKey = keys.stream().filter(k -> k.keyType() == KeyType.RANGE).findFirst().map(KeySchemaElement::attributeName).orElse(null);
  }

  @Override
  public Stream<SourceRecord> records(Segment segment, ReadProgress counters) {
    Pages pages = new Pages(segment, counters);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** An item as a record: routed to its facet's table, keyed by its partition and sort key. */
  public SourceRecord record(Map<String, AttributeValue> item) {
    List<String> key = new ArrayList<>(2);
    key.add(DynamoItems.keyText(keyAttribute(item, partitionKey)));
    if (sortKey != null) {
      key.add(DynamoItems.keyText(keyAttribute(item, sortKey)));
    }
    return new SourceRecord(routing.tableOf(item, partitionKey, sortKey), key, DynamoItems.toValue(item));
  }

  /** An export's item is read from a file, not from the table: one without its key is refused, by name. */
  private static AttributeValue keyAttribute(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (value == null) {
      throw new IllegalArgumentException("an item without its key attribute '" + name + "' (it has " + item.keySet() + ")");
    }
    return value;
  }

  private final class Pages implements Iterator<SourceRecord> {
    private final Segment segment;
    private final ReadProgress counters;
    private final ReadRateLimit limit;
    private Iterator<Map<String, AttributeValue>> page = List.<Map<String, AttributeValue>>of().iterator();
    private Map<String, AttributeValue> next;
    private boolean finished;

    Pages(Segment segment, ReadProgress counters) {
      this.segment = segment;
      this.counters = counters;
      this.limit = settings.maxReadUnits() > 0 ? ReadRateLimit.realTime(settings.maxReadUnits()) : null;
    }

    @Override
    public boolean hasNext() {
      while (!page.hasNext() && !finished) {
        fetch();
      }
      return page.hasNext();
    }

    private void fetch() {
      ScanResponse response = dynamo.scan(b -> b.tableName(settings.table())
          .segment(segment.index())
          .totalSegments(segment.total())
          .limit(settings.pageSize())
          .consistentRead(false)
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
          .exclusiveStartKey(next));
      counters.page();
      counters.records(response.count());
      double units = response.consumedCapacity() == null || response.consumedCapacity().capacityUnits() == null
          ? 0 : response.consumedCapacity().capacityUnits();
      page = response.items().iterator();
      next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
      finished = next == null;
      if (limit != null) {
        limit.consumed(units);
      }
    }

    @Override
    public SourceRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return record(page.next());
    }
  }
}
