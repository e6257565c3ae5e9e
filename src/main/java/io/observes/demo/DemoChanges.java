package io.observes.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Changes to a table {@link DemoData} seeded, as the platform makes them: items of every facet
 * updated (new content under the same keys), deleted, and new items inserted. Each change is made
 * only if it changes something (an update never writes the item it replaces, an insert never lands on
 * an existing key, a delete only takes an existing item), so what it returns is exactly what the
 * table's stream, and so an incremental export, holds.
 */
public final class DemoChanges {
  /** What happened to an item. */
  public enum Kind { UPDATED, DELETED, INSERTED }

  /** One change: its kind and the item (the image written; for a deletion, the item deleted). */
  public record Change(Kind kind, Map<String, AttributeValue> item) {
    public Change {
      Objects.requireNonNull(kind, "kind");
      item = Map.copyOf(item);
    }
  }

  private final long seed;
  private final int seeded;
  private final Function<Map<String, AttributeValue>, String> facet;

  /**
   * The table as {@code new DemoData(seed).seed(dynamo, table, seeded, ...)} left it; {@code facet}
   * names an item's facet (its warehouse table), which an update keeps.
   */
  public DemoChanges(long seed, int seeded, Function<Map<String, AttributeValue>, String> facet) {
    if (seeded < 1) {
      throw new IllegalArgumentException("a table of " + seeded + " seeded items has nothing to change");
    }
    this.seed = seed;
    this.seeded = seeded;
    this.facet = Objects.requireNonNull(facet, "facet");
  }

  /**
   * Makes {@code count} changes (at least 3): half of them updates, a quarter deletions, the rest
   * inserts, of items picked at random with {@code changeSeed}; returns them in the order made.
   */
  public List<Change> apply(DynamoDbClient dynamo, String table, int count, long changeSeed) {
    int total = Math.max(3, count);
    int updates = Math.max(1, total / 2);
    int deletes = Math.max(1, total / 4);
    int inserts = total - updates - deletes;
    if (updates + deletes > seeded) {
      throw new IllegalArgumentException(total + " changes need more than the " + seeded + " seeded items");
    }
    Random random = new Random(changeSeed);
    // Picked without repetition; the seeded items are regenerated in seeding order, as their content depends on it.
    Set<Integer> picked = new TreeSet<>();
    while (picked.size() < Math.min(seeded, (updates + deletes) * 2)) {
      picked.add(random.nextInt(seeded));
    }
    List<Seeded> existing = new ArrayList<>();
    DemoData original = new DemoData(seed);
    for (int i = 0; i < seeded && existing.size() < picked.size(); i++) {
      Map<String, AttributeValue> item = original.item(i);
      if (picked.contains(i)) {
        existing.add(new Seeded(i, item));
      }
    }
    Collections.shuffle(existing, random);
    DemoData fresh = new DemoData(changeSeed);
    List<Change> made = new ArrayList<>();
    Set<Map<String, AttributeValue>> touched = new HashSet<>();
    int updated = 0;
    int deleted = 0;
    for (int n = 0; n < existing.size() && (updated < updates || deleted < deletes); n++) {
      Map<String, AttributeValue> item = existing.get(n).item();
      Map<String, AttributeValue> key = key(item);
      // A later seeded item with the same keys replaced this one: not the table's item, left alone.
      if (!touched.add(key) || !item.equals(current(dynamo, table, key))) {
        continue;
      }
      if (updated < updates) {
        // The same index is the same entity type; the other seed gives it other content.
        Map<String, AttributeValue> image = new HashMap<>(fresh.item(existing.get(n).index()));
        image.putAll(key);
        if (facet.apply(image).equals(facet.apply(item)) && !image.equals(item)) {
          dynamo.putItem(b -> b.tableName(table).item(image).conditionExpression("attribute_exists(pk)"));
          made.add(new Change(Kind.UPDATED, image));
          updated++;
          continue;
        }
      }
      if (deleted < deletes) {
        dynamo.deleteItem(b -> b.tableName(table).key(key).conditionExpression("attribute_exists(pk)"));
        made.add(new Change(Kind.DELETED, item));
        deleted++;
      }
    }
    for (int i = seeded, added = 0; added < inserts; i++) {
      Map<String, AttributeValue> item = fresh.item(i);
      if (!touched.add(key(item))) {
        continue;
      }
      try {
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
      } catch (ConditionalCheckFailedException e) {
        continue; // an existing key: an insert must be a new item
      }
      made.add(new Change(Kind.INSERTED, item));
      added++;
    }
    return made;
  }

  private record Seeded(int index, Map<String, AttributeValue> item) {}

  private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
    return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
  }

  private static Map<String, AttributeValue> current(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
    return dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
  }
}
