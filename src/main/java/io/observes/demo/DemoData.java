package io.observes.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A realistic single-table data set shaped like the platform's data model: about 25 of its entity
 * types (facets), several per key prefix as in the real table (an organization, its indicators and
 * policy history under ORG#; a vulnerability and its states, treatments, verifications and zero-risk
 * entries under VULN#; stakeholders and their access under USER#; three kinds of roots told apart
 * by their type), plus one type the model does not list; with nested maps, lists of maps, sets,
 * exact decimals, ISO timestamps with offsets, binary, nulls, unicode and text full of quotes,
 * commas and newlines. Same seed, same data.
 */
public final class DemoData {
  private final DemoEntities entities;

  public DemoData(long seed) {
    this.entities = new DemoEntities(new Random(seed));
  }

  public static void createTable(DynamoDbClient dynamo, String table) {
    dynamo.createTable(b -> b.tableName(table)
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
        .billingMode(BillingMode.PAY_PER_REQUEST));
  }

  /** Writes {@code count} items; {@code progress} gets the running total. */
  public void seed(DynamoDbClient dynamo, String table, int count, IntConsumer progress) {
    seed(dynamo, table, 0, count, progress);
  }

  /** Writes items {@code from} .. {@code from + count - 1} (for seeding from several threads). */
  public void seed(DynamoDbClient dynamo, String table, int from, int count, IntConsumer progress) {
    List<WriteRequest> batch = new ArrayList<>(25);
    for (int i = from; i < from + count; i++) {
      batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(i)).build()).build());
      if (batch.size() == 25 || i == from + count - 1) {
        write(dynamo, table, batch);
        batch = new ArrayList<>(25);
        progress.accept(i + 1 - from);
      }
    }
  }

  private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    for (int attempt = 0; !pending.isEmpty(); attempt++) {
      if (attempt == 10) {
        throw new IllegalStateException("DynamoDB kept " + pending.get(table).size() + " items unprocessed after 10 attempts");
      }
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
    }
  }

  /**
   * Item {@code i}: its entity type follows from {@code i} (vulnerabilities and their history most
   * often, as in the real table), its content from the seeded random.
   */
  public Map<String, AttributeValue> item(int i) {
    return entities.item(i);
  }
}
