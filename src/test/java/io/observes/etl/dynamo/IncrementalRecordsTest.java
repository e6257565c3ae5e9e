package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.value.Value;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An incremental run's changes routed by the repository's routing file: each item once with its
 * latest change, and an item whose change moved it to another facet (a root's {@code type}) leaves
 * its old facet's table, so no item is in two tables.
 */
class IncrementalRecordsTest {
  static TableRouting routing;

  @BeforeAll
  static void routes() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("etl-jobs/dynamo-tables.yaml"))) {
      routing = TableRouting.read(in, "etl-jobs/dynamo-tables.yaml", "integrates_vms");
    }
  }

  static IncrementalRecords records() {
    return new IncrementalRecords(item -> new SourceRecord(routing.tableOf(item, "pk", "sk"),
        List.of(DynamoItems.keyText(item.get("pk")), DynamoItems.keyText(item.get("sk"))), DynamoItems.toValue(item)));
  }

  static Map<String, AttributeValue> root(String type) {
    return Map.of("pk", AttributeValue.fromS("ROOT#r1"), "sk", AttributeValue.fromS("GROUP#g1"), "type",
        AttributeValue.fromS(type));
  }

  static final Map<String, AttributeValue> KEYS = Map.of("pk", AttributeValue.fromS("ROOT#r1"), "sk",
      AttributeValue.fromS("GROUP#g1"));

  static String describe(SourceRecord r) {
    Map<String, Value> f = r.value().fields();
    return r.stream() + (f.containsKey(IncrementalRecords.DELETED) ? " deleted" : " " + f.get("type")) + " @"
        + f.get(IncrementalRecords.WRITTEN);
  }

  @Test
  void anItemThatChangedFacetLeavesItsOldTable() {
    IncrementalRecords changes = records();
    changes.add(new IncrementalChange(KEYS, Optional.of(root("URL")), Optional.of(root("Git")), 10));
    assertThat(changes.records().map(IncrementalRecordsTest::describe)).containsExactlyInAnyOrder(
        "url_root_metadata " + new Value.Text("URL") + " @" + Value.Numeric.of(10),
        "git_root_metadata deleted @" + Value.Numeric.of(10));
    assertThat(changes.deletions()).isEqualTo(1);
  }

  @Test
  void anUpdateWithinItsFacetIsOneRecordAndAMoveBackWinsByItsTime() {
    IncrementalRecords changes = records();
    changes.add(new IncrementalChange(KEYS, Optional.of(root("Git")), Optional.of(root("Git")), 5));
    assertThat(changes.size()).isEqualTo(1);
    // Two windows: Git -> URL at 10, URL -> Git at 20 (the later window read first: order must not matter).
    changes.add(new IncrementalChange(KEYS, Optional.of(root("Git")), Optional.of(root("URL")), 20));
    changes.add(new IncrementalChange(KEYS, Optional.of(root("URL")), Optional.of(root("Git")), 10));
    assertThat(changes.records().map(IncrementalRecordsTest::describe)).containsExactlyInAnyOrder(
        "git_root_metadata " + new Value.Text("Git") + " @" + Value.Numeric.of(20),
        "url_root_metadata deleted @" + Value.Numeric.of(20));
  }
}
