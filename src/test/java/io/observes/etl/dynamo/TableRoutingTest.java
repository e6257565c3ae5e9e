package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.cli.TestAccess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items of a single-table design routed to one table per entity type, by the shape of their keys. */
class TableRoutingTest {
  static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }

  static Map<String, AttributeValue> item(String pk, String sk, String... attributes) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(pk));
    item.put("sk", s(sk));
    for (int i = 0; i < attributes.length; i += 2) {
      item.put(attributes[i], s(attributes[i + 1]));
    }
    return item;
  }

  /** A key shaped by {@code template}: literals as they are, each value random, sometimes holding '#'. */
  static String keyFrom(KeyTemplate template, Random random) {
    StringBuilder key = new StringBuilder();
    for (KeyTemplate.Token token : template.tokens()) {
      key.append(key.length() == 0 ? "" : "#");
      if (token.literal()) {
        key.append(token.text());
      } else {
        String[] values = {"3fa85f64-5717-4562-b3fc-2c963f66afa6", "user@example.com", "2024-05-06T07:08:09.123456+00:00",
            "group" + random.nextInt(99), "src/#weird/file#name.py", "1234"};
        key.append(values[random.nextInt(values.length)]);
      }
    }
    return key.toString();
  }

  @Test
  void theBundledRoutingGivesEveryFacetOfTheDataModelATableOfItsOwn() {
    TableRouting routing = TestAccess.bundledRouting();
    assertThat(routing.facets()).hasSize(54);
    assertThat(routing.facets().stream().map(Facet::table).distinct()).hasSize(54);
    Random random = new Random(11);
    for (Facet facet : routing.facets()) {
      for (int round = 0; round < 20; round++) {
        Map<String, AttributeValue> item = item(keyFrom(facet.partition(), random), keyFrom(facet.sort().orElseThrow(), random));
        facet.equals().forEach((k, v) -> item.put(k, s(v)));
        facet.present().forEach(k -> item.put(k, s("present")));
        assertThat(routing.tableOf(item, "pk", "sk")).as("%s for %s / %s", facet.table(), item.get("pk").s(), item.get("sk").s())
            .isEqualTo(facet.table());
      }
    }
  }

  @Test
  void entityTypesSharingAPrefixGetTablesOfTheirOwn() {
    TableRouting routing = TestAccess.bundledRouting();
    assertThat(routing.tableOf(item("VULN#v1", "FIN#f1"), "pk", "sk")).isEqualTo("vulnerability_metadata");
    assertThat(routing.tableOf(item("VULN#v1", "STATE#2024-01-01T00:00:00Z"), "pk", "sk")).isEqualTo("vulnerability_historic_state");
    assertThat(routing.tableOf(item("VULN#v1", "TREATMENT#2024-01-01T00:00:00Z"), "pk", "sk"))
        .isEqualTo("vulnerability_historic_treatment");
    assertThat(routing.tableOf(item("USER#a@b.co", "USER#a@b.co"), "pk", "sk")).isEqualTo("stakeholder_metadata");
    assertThat(routing.tableOf(item("USER#a@b.co", "ORG#o1"), "pk", "sk")).isEqualTo("organization_access");
    assertThat(routing.tableOf(item("USER#a@b.co", "STATE#2024"), "pk", "sk")).isEqualTo("stakeholder_historic_state");
    // More literal tokens is more specific: this is an organization's access history, not a stakeholder's.
    assertThat(routing.tableOf(item("USER#a@b.co#ORG#o1", "STATE#2024"), "pk", "sk")).isEqualTo("organization_historic_access");
    assertThat(routing.tableOf(item("ORG#o1#UNRELIABLEINDICATOR", "ORG#acme#UNRELIABLEINDICATORS"), "pk", "sk"))
        .isEqualTo("organization_unreliable_indicators");
    assertThat(routing.tableOf(item("ORG#o1", "ORG#acme"), "pk", "sk")).isEqualTo("organization_metadata");
    // The three root kinds share their keys: the type tells them apart; their states, what they record.
    assertThat(routing.tableOf(item("ROOT#r", "GROUP#g", "type", "Git"), "pk", "sk")).isEqualTo("git_root_metadata");
    assertThat(routing.tableOf(item("ROOT#r", "GROUP#g", "type", "URL"), "pk", "sk")).isEqualTo("url_root_metadata");
    assertThat(routing.tableOf(item("ROOT#r", "STATE#t", "address", "10.0.0.1"), "pk", "sk")).isEqualTo("ip_root_historic_state");
    // A file name holding '#': the last value takes the rest of the key.
    assertThat(routing.tableOf(item("GROUP#g", "LINES#ROOT#r#FILENAME#a#b#c.py"), "pk", "sk")).isEqualTo("toe_lines_metadata");
  }

  @Test
  void anUnknownEntityTypeGetsATableNamedFromItsKeysNeverAway() {
    TableRouting routing = TestAccess.bundledRouting();
    assertThat(routing.tableOf(item("USER_ORG#x", "STATE#2024-01-01"), "pk", "sk")).isEqualTo("user_org__state");
    // A root whose type no facet knows still gets a table, named from its keys' literal tokens.
    assertThat(routing.tableOf(item("ROOT#r", "GROUP#g", "type", "Docker"), "pk", "sk")).isEqualTo("root__group");
    // Ids with digits are values, never table names: one table however many ids there are.
    Set<String> tables = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      tables.add(routing.tableOf(item("THING#A" + i + "B", "PART#X" + i), "pk", "sk"));
    }
    assertThat(tables).containsExactly("thing__part");
    assertThat(routing.tableOf(item("12345", "abc"), "pk", "sk")).isEqualTo("integrates_vms");
    Map<String, AttributeValue> noKeys = new HashMap<>();
    assertThat(routing.tableOf(noKeys, "pk", "sk")).isEqualTo("integrates_vms");
  }

  @Test
  void hostileKeysDoNotMakeMatchingSlow() {
    TableRouting routing = TestAccess.bundledRouting();
    String hashes = "#".repeat(20_000);
    for (String pk : List.of("GROUP#" + hashes, "LINES#GROUP#" + hashes + "#ROOT#r#FILENAME#" + hashes, hashes)) {
      // Linear, not exponential: each template is matched in time proportional to the key.
      String table = routing.tableOf(item(pk, "STATE#" + hashes), "pk", "sk");
      assertThat(table).isNotBlank();
    }
    assertThat(routing.tableOf(item("LINES#GROUP#g#ROOT#r#FILENAME#" + hashes, "STATE#t"), "pk", "sk"))
        .isEqualTo("toe_lines_historic_metadata");
  }

  static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRoutingFileMayAskForACatchAllAndBadFilesSayWhatIsWrong() {
    TableRouting routing = TableRouting.read(text("""
        facets:
          - {table: orgs, pk: "ORG#id", sk: "ORG#name"}
        catch_all: other
        """), "r.yaml", "t");
    assertThat(routing.tableOf(item("ORG#1", "ORG#x"), "pk", "sk")).isEqualTo("orgs");
    assertThat(routing.tableOf(item("ZZZ#1", "Y#2"), "pk", "sk")).isEqualTo("other");

    assertThatThrownBy(() -> TableRouting.read(text("facets: []\n"), "r.yaml", "t")).hasMessageContaining("r.yaml")
        .hasMessageContaining("facets");
    assertThatThrownBy(() -> TableRouting.read(text("facets:\n  - {table: Bad-Name, pk: X}\n"), "r.yaml", "t"))
        .hasMessageContaining("Bad-Name");
    assertThatThrownBy(() -> TableRouting.read(text("facets:\n  - {table: t}\n"), "r.yaml", "t"))
        .hasMessageContaining("facets[0]").hasMessageContaining("pk");
    assertThatThrownBy(() -> TableRouting.read(text("facets:\n  - {table: t, pk: \"ORG#Id\"}\n"), "r.yaml", "t"))
        .hasMessageContaining("'Id'");
    assertThatThrownBy(() -> TableRouting.read(text("facet:\n  - {table: t, pk: X}\n"), "r.yaml", "t"))
        .hasMessageContaining("facet");
  }

  @Test
  void theNoSqlWorkbenchModelIsARoutingSourceAndFacetsSharingKeysShareATable() throws Exception {
    TableRouting routing;
    try (InputStream in = getClass().getResourceAsStream("/routing/workbench-model.json")) {
      routing = WorkbenchModel.read(in, "workbench-model.json", "integrates_vms");
    }
    assertThat(routing.tableOf(item("VULN#v", "FIN#f"), "pk", "sk")).isEqualTo("vulnerability_metadata");
    assertThat(routing.tableOf(item("VULN#v", "STATE#t"), "pk", "sk")).isEqualTo("vulnerability_historic_state");
    assertThat(routing.tableOf(item("ROOT#r", "GROUP#g", "type", "IP"), "pk", "sk")).isEqualTo("root_metadata");
    assertThat(routing.tableOf(item("GROUP#g", "LINES#ROOT#r#FILENAME#x#y"), "pk", "sk")).isEqualTo("toe_lines_metadata");
    // "USER#<email>": a token that is not an upper-case literal stands for a value.
    assertThat(routing.tableOf(item("USER#a@b", "USER#a@b"), "pk", "sk")).isEqualTo("user");
    assertThat(routing.tableOf(item("EVENT#e", "GROUP#g"), "pk", "sk")).isEqualTo("event__group");

    assertThat(WorkbenchModel.sharedName(List.of("git_root_metadata", "ip_root_metadata", "url_root_metadata")))
        .isEqualTo("root_metadata");
    assertThat(WorkbenchModel.sharedName(List.of("alpha", "beta"))).isEqualTo("alpha_merged");
    assertThatThrownBy(() -> WorkbenchModel.read(text("{\"DataModel\": [{\"TableName\": \"a\"}, {\"TableName\": \"b\"}]}"),
        "m.json", "c")).hasMessageContaining("no table named 'c'");
    assertThatThrownBy(() -> WorkbenchModel.read(text("{\"x\": 1}"), "m.json", "c")).hasMessageContaining("DataModel");
  }
}
