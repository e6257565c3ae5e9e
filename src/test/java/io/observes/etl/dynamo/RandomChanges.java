package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.demo.DemoData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random puts (new items and whole replacements), updates (one attribute, new to the schema) and
 * deletes of {@code table}'s items: demo items 0 .. 2 * seeded and the bad items (with child lists and
 * rejected values); remembers what was deleted, to check that nothing of it stays in the warehouse.
 */
final class RandomChanges {
  private final DynamoDbClient dynamo;
  private final String table;
  private final Random random;
  private final DemoData content;
  private final int seeded;
  private final Set<String> deleted = new TreeSet<>();

  RandomChanges(DynamoDbClient dynamo, String table, Random random, DemoData content, int seeded) {
    this.dynamo = dynamo;
    this.table = table;
    this.random = random;
    this.content = content;
    this.seeded = seeded;
  }

  void apply(int count) {
    List<Map<String, AttributeValue>> bad = DynamoEtlTest.badItems();
    for (int i = 0; i < count; i++) {
      Map<String, AttributeValue> item = random.nextInt(6) == 0 ? bad.get(random.nextInt(bad.size()))
          : content.item(random.nextInt(seeded * 2));
      Map<String, AttributeValue> key = Map.of("pk", item.get("pk"), "sk", item.get("sk"));
      switch (random.nextInt(4)) {
        case 0 -> {
          dynamo.deleteItem(b -> b.tableName(table).key(key));
          deleted.add(item.get("pk").s() + "/" + item.get("sk").s());
        }
        case 1 -> dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression("SET changed_by_test = :n")
            .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(random.nextInt(1000))))));
        default -> dynamo.putItem(b -> b.tableName(table).item(item));
      }
    }
  }

  /** Keys deleted at some point (some put again since). */
  Set<String> deleted() {
    return deleted;
  }

  /**
   * No root row of an item deleted and not put again; no child row whose root row is gone; no rejected
   * value of a row that is gone.
   */
  void assertGone(String jdbcUrl, String as) throws SQLException {
    List<String[]> gone = deleted.stream().map(key -> key.split("/", 2)).filter(k -> dynamo.getItem(b -> b.tableName(table)
        .key(Map.of("pk", AttributeValue.fromS(k[0]), "sk", AttributeValue.fromS(k[1])))).item().isEmpty()).toList();
    List<String> roots = new ArrayList<>();
    List<String> children = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT t.table_name, EXISTS (SELECT 1 FROM "
          + "information_schema.columns p WHERE p.table_schema = t.table_schema AND p.table_name = t.table_name AND "
          + "p.column_name = '_root_id') FROM information_schema.tables t WHERE t.table_schema = '" + table
          + "' AND t.table_name NOT LIKE '\\_%'")) {
        while (r.next()) {
          (r.getBoolean(2) ? children : roots).add(r.getString(1));
        }
      }
      assertThat(children).as("child tables; %s", as).isNotEmpty();
      String rootIds = String.join(" UNION ALL ", roots.stream().map(t -> "SELECT _observes_id FROM " + name(t)).toList());
      for (String child : children) {
        assertThat(count(c, "SELECT COUNT(*) FROM " + name(child) + " WHERE _root_id NOT IN (" + rootIds + ")"))
            .as("child rows of %s without their root row; %s", child, as).isZero();
      }
      for (String t : children) {
        rejectedOfRowsGone(c, t, as);
      }
      for (String t : roots) {
        rejectedOfRowsGone(c, t, as);
        for (String[] pkSk : hasKeys(c, t) ? gone : List.<String[]>of()) {
          try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM " + name(t) + " WHERE pk = ? AND sk = ?")) {
            p.setString(1, pkSk[0]);
            p.setString(2, pkSk[1]);
            try (ResultSet r = p.executeQuery()) {
              r.next();
              assertThat(r.getLong(1)).as("root rows of deleted %s/%s in %s; %s", pkSk[0], pkSk[1], t, as).isZero();
            }
          }
        }
      }
    }
  }

  private void rejectedOfRowsGone(Connection c, String t, String as) throws SQLException {
    assertThat(count(c, "SELECT COUNT(*) FROM " + name("_rejected") + " WHERE table_name = '" + t + "' AND row_id NOT IN "
        + "(SELECT _observes_id FROM " + name(t) + ")")).as("rejected values of rows gone from %s; %s", t, as).isZero();
  }

  private boolean hasKeys(Connection c, String t) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '" + table + "' AND table_name = '"
        + t + "' AND column_name IN ('pk', 'sk')") == 2;
  }

  private String name(String t) {
    return "\"" + table + "\".\"" + t + "\"";
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
