package io.observes.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.SdkBytes;
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
 * A realistic single-table data set like the platform's: organizations, groups, findings,
 * vulnerabilities (most of the items), events and stakeholders under {@code pk}/{@code sk} keys
 * with type prefixes, with nested maps, lists of maps, sets, exact decimals, ISO timestamps with
 * offsets, binary, nulls, unicode and text full of quotes, commas and newlines. Same seed, same data.
 */
public final class DemoData {
  private static final String[] STATUSES = {"VULNERABLE", "SAFE", "SUBMITTED", "REJECTED"};
  private static final String[] NAMES = {"Ana María", "Łukasz", "Zoë", "Søren", "李雷", "O'Brien", "José \"Pepe\""};
  private final Random random;

  public DemoData(long seed) {
    this.random = new Random(seed);
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

  /** Item {@code i}: its type follows from {@code i}, its content from the seeded random. */
  public Map<String, AttributeValue> item(int i) {
    int kind = i % 20;
    if (kind == 0) {
      return organization(i);
    } else if (kind == 1) {
      return group(i);
    } else if (kind <= 4) {
      return finding(i);
    } else if (kind == 5) {
      return event(i);
    } else if (kind == 6) {
      return stakeholder(i);
    }
    return vulnerability(i);
  }

  private Map<String, AttributeValue> organization(int i) {
    Map<String, AttributeValue> item = keys("ORG#" + id(i), "ORG#" + id(i));
    item.put("name", s("org" + i));
    item.put("created_date", s(timestamp()));
    item.put("policies", m(Map.of(
        "max_acceptance_days", n(Integer.toString(random.nextInt(180))),
        "min_acceptance_severity", n(String.format(Locale.ROOT, "%.1f", random.nextInt(100) / 10.0)),
        "vulnerability_grace_period", n(Integer.toString(random.nextInt(30))))));
    item.put("country", s(random.nextBoolean() ? "Colombia" : "España"));
    return item;
  }

  private Map<String, AttributeValue> group(int i) {
    Map<String, AttributeValue> item = keys("GROUP#group" + i, "GROUP#group" + i);
    item.put("name", s("group" + i));
    item.put("organization_id", s(id(i - 1)));
    item.put("description", s("Group \"" + i + "\", tier: squad,\nwith a second line and ümlauts"));
    item.put("created_date", s(timestamp()));
    item.put("services", AttributeValue.builder().ss("continuous", "machine", "squad").build());
    item.put("languages", l(List.of(s("es"), s("en"))));
    item.put("sprint_duration", n("2"));
    return item;
  }

  private Map<String, AttributeValue> finding(int i) {
    Map<String, AttributeValue> item = keys("FIN#" + id(i), "GROUP#group" + (i / 20 * 20 + 1));
    item.put("title", s(String.format(Locale.ROOT, "%03d. SQL injection - \"%s\", line, breaks\n", i % 400, "Code")));
    item.put("severity_score", n(String.format(Locale.ROOT, "%.1f", random.nextInt(100) / 10.0)));
    item.put("cvss_vector", s("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N"));
    item.put("state", m(Map.of("status", s(STATUSES[random.nextInt(2)]), "modified_by", s(email()),
        "modified_date", s(timestamp()))));
    Map<String, AttributeValue> evidences = new HashMap<>();
    for (int e = 1; e <= random.nextInt(3); e++) {
      evidences.put("evidence" + e, m(Map.of("url", s("https://evidence.example/" + i + "/" + e + ".png"),
          "description", s("shows it, clearly"), "modified_date", s(timestamp()))));
    }
    item.put("evidences", m(evidences));
    item.put("requirements", AttributeValue.builder().ss("REQ.0173", "REQ.0169").build());
    item.put("unreliable_indicators", m(Map.of("open_vulnerabilities", n(Integer.toString(random.nextInt(50))),
        "closed_vulnerabilities", n(Integer.toString(random.nextInt(50))),
        "max_open_severity", n(String.format(Locale.ROOT, "%.2f", random.nextInt(1000) / 100.0)))));
    return item;
  }

  private Map<String, AttributeValue> vulnerability(int i) {
    Map<String, AttributeValue> item = keys("VULN#" + id(i), "FIN#" + id(i / 20 * 20 + 2));
    item.put("where", s("src/main/java/com/example/Service" + (i % 97) + ".java"));
    // A line number usually, a port or a URL parameter sometimes: mixed kinds stay text.
    item.put("specific", random.nextInt(10) == 0 ? s("port " + random.nextInt(65536)) : n(Integer.toString(random.nextInt(5000))));
    item.put("type", s(random.nextBoolean() ? "LINES" : "INPUTS"));
    item.put("state", m(Map.of("status", s(STATUSES[random.nextInt(STATUSES.length)]), "source", s("ASM"),
        "modified_date", s(timestamp()), "modified_by", s(email()))));
    List<AttributeValue> history = new ArrayList<>();
    for (int h = 0; h < random.nextInt(4); h++) {
      history.add(m(Map.of("status", s(STATUSES[random.nextInt(STATUSES.length)]), "modified_date", s(timestamp()))));
    }
    item.put("historic_state", l(history));
    if (random.nextInt(3) == 0) {
      item.put("tags", AttributeValue.builder().ss("frontend", "payments", "tag " + (i % 7)).build());
    }
    item.put("hash", AttributeValue.builder().b(SdkBytes.fromByteArray(new byte[] {(byte) i, (byte) (i >> 8), 0, -1})).build());
    item.put("bug_tracking_system_url", AttributeValue.builder().nul(true).build());
    item.put("zero_risk", AttributeValue.builder().bool(random.nextInt(20) == 0).build());
    item.put("root_id", s(id(i % 50)));
    item.put("severity_score", n(String.format(Locale.ROOT, "%.1f", random.nextInt(100) / 10.0)));
    return item;
  }

  private Map<String, AttributeValue> event(int i) {
    Map<String, AttributeValue> item = keys("EVENT#" + id(i), "GROUP#group" + (i / 20 * 20 + 1));
    item.put("type", s("AUTHORIZATION_SPECIAL_ATTACK"));
    item.put("description", s("The environment was down; \"retry\" later, please."));
    item.put("event_date", s(timestamp()));
    item.put("solved", AttributeValue.builder().bool(random.nextBoolean()).build());
    item.put("affected_reattacks", AttributeValue.builder().ns("3", "14", "159").build());
    return item;
  }

  private Map<String, AttributeValue> stakeholder(int i) {
    String email = "user" + i + "@example.com";
    Map<String, AttributeValue> item = keys("USER#" + email, "USER#" + email);
    item.put("email", s(email));
    item.put("first_name", s(NAMES[random.nextInt(NAMES.length)]));
    item.put("last_login_date", s(timestamp()));
    item.put("phone", m(Map.of("calling_country_code", s("57"), "national_number", s("300" + random.nextInt(10_000_000)))));
    item.put("tours", m(Map.of("new_group", AttributeValue.builder().bool(true).build(),
        "new_root", AttributeValue.builder().bool(false).build())));
    return item;
  }

  private static Map<String, AttributeValue> keys(String pk, String sk) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(pk));
    item.put("sk", s(sk));
    return item;
  }

  private String timestamp() {
    int offset = random.nextInt(5) - 2;
    return String.format(Locale.ROOT, "2024-%02d-%02dT%02d:%02d:%02d.%06d%s", 1 + random.nextInt(12), 1 + random.nextInt(28),
        random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000),
        offset == 0 ? "+00:00" : String.format(Locale.ROOT, "%+03d:00", offset * 5));
  }

  private String email() {
    return "hacker" + random.nextInt(40) + "@fluid.example";
  }

  private static String id(int i) {
    return new java.util.UUID(0x5eed_0000_0000_0000L | i, i * 2654435761L).toString();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  private static AttributeValue n(String value) {
    return AttributeValue.builder().n(value).build();
  }

  private static AttributeValue m(Map<String, AttributeValue> value) {
    return AttributeValue.builder().m(value).build();
  }

  private static AttributeValue l(List<AttributeValue> value) {
    return AttributeValue.builder().l(value).build();
  }
}
