package io.observes.demo;

import static io.observes.demo.DemoValues.id;
import static io.observes.demo.DemoValues.keys;
import static io.observes.demo.DemoValues.l;
import static io.observes.demo.DemoValues.m;
import static io.observes.demo.DemoValues.n;
import static io.observes.demo.DemoValues.s;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The demo table's items, entity type by entity type (see {@link DemoData}); all randomness comes from
 * the one seeded {@link Random}, drawn in item order, so the same seed gives the same items.
 */
final class DemoEntities {
  private static final String[] STATUSES = {"VULNERABLE", "SAFE", "SUBMITTED", "REJECTED"};
  private static final String[] NAMES = {"Ana María", "Łukasz", "Zoë", "Søren", "李雷", "O'Brien", "José \"Pepe\""};
  private final Random random;

  DemoEntities(Random random) {
    this.random = random;
  }

  /** Item {@code i}: its entity type follows from {@code i}, its content from the seeded random. */
  Map<String, AttributeValue> item(int i) {
    return switch (KINDS[i % KINDS.length]) {
      case 'O' -> organization(i);
      case 'o' -> organizationIndicators(i);
      case 'p' -> organizationPolicies(i);
      case 'G' -> group(i);
      case 'g' -> groupState(i);
      case 'u' -> groupIndicators(i);
      case 'F' -> finding(i);
      case 'f' -> history(i, "FIN#" + id(i / 40 * 40 + 7), "STATE", Map.of("source", s("ASM"), "justification", s("NO_JUSTIFICATION")));
      case 'V' -> vulnerability(i);
      case 's' -> history(i, vulnId(i), "STATE", Map.of("source", s("MACHINE"), "where", s("src/app.py"),
          "specific", n(Integer.toString(random.nextInt(900)))));
      case 't' -> history(i, vulnId(i), "TREATMENT", Map.of("assigned", s(email()), "justification", s("accepted, \"for now\"")));
      case 'v' -> history(i, vulnId(i), "VERIFICATION", Map.of());
      case 'z' -> history(i, vulnId(i), "ZERORISK", Map.of("comment_id", s(Integer.toString(i))));
      case 'E' -> event(i);
      case 'U' -> stakeholder(i);
      case 'a' -> access(i, "ORG#" + id(i / 40 * 40));
      case 'b' -> access(i, "GROUP#group" + (i / 40 * 40 + 4));
      case 'R' -> root(i);
      case 'r' -> rootState(i);
      case 'L' -> toeLines(i);
      case 'C' -> comment(i);
      case 'X' -> execution(i);
      default -> notification(i);
    };
  }

  /** One 40-item cycle of entity types; several share a key prefix (ORG#, GROUP#, FIN#, VULN#, USER#, ROOT#). */
  private static final char[] KINDS = "OopGguFfFVVVVVVVVsssstttvvzEUabRRrrLCXnV".toCharArray();

  private String vulnId(int i) {
    return "VULN#" + id(i / 40 * 40 + 9 + random.nextInt(8));
  }

  private Map<String, AttributeValue> organization(int i) {
    Map<String, AttributeValue> item = keys("ORG#" + id(i), "ORG#org" + i);
    item.put("name", s("org" + i));
    item.put("created_date", s(timestamp()));
    item.put("policies", m(Map.of(
        "max_acceptance_days", n(Integer.toString(random.nextInt(180))),
        "min_acceptance_severity", n(String.format(Locale.ROOT, "%.1f", random.nextInt(100) / 10.0)),
        "vulnerability_grace_period", n(Integer.toString(random.nextInt(30))))));
    item.put("country", s(random.nextBoolean() ? "Colombia" : "España"));
    item.put("state", m(Map.of("status", s("ACTIVE"), "modified_date", s(timestamp()))));
    return item;
  }

  private Map<String, AttributeValue> organizationIndicators(int i) {
    Map<String, AttributeValue> item = keys("ORG#" + id(i - 1) + "#UNRELIABLEINDICATOR", "ORG#org" + (i - 1) + "#UNRELIABLEINDICATORS");
    // Whole numbers in some items, decimals in others: the column's type is their join.
    item.put("compliance_level", n(random.nextInt(3) == 0 ? Integer.toString(random.nextInt(2)) : "0." + random.nextInt(10)));
    item.put("compliance_weekly_trend", n(String.format(Locale.ROOT, "%.2f", random.nextInt(200) / 100.0 - 1)));
    item.put("missed_repositories", n(Integer.toString(random.nextInt(20))));
    item.put("standard_compliances", l(List.of(m(Map.of("standard_name", s("owasp"),
        "compliance_level", n("0." + random.nextInt(10)))))));
    return item;
  }

  private Map<String, AttributeValue> organizationPolicies(int i) {
    Map<String, AttributeValue> item = keys("ORG#" + id(i / 40 * 40), "POLICIES#" + timestamp());
    item.put("modified_by", s(email()));
    item.put("max_number_acceptances", n(Integer.toString(random.nextInt(5))));
    item.put("min_breaking_severity", n(String.format(Locale.ROOT, "%.1f", random.nextInt(100) / 10.0)));
    return item;
  }

  private Map<String, AttributeValue> group(int i) {
    Map<String, AttributeValue> item = keys("GROUP#group" + i, "ORG#" + id(i / 40 * 40));
    item.put("name", s("group" + i));
    item.put("organization_id", s(id(i / 40 * 40)));
    item.put("description", s("Group \"" + i + "\", tier: squad,\nwith a second line and ümlauts"));
    item.put("created_date", s(timestamp()));
    item.put("services", AttributeValue.builder().ss("continuous", "machine", "squad").build());
    item.put("languages", l(List.of(s("es"), s("en"))));
    item.put("sprint_duration", n("2"));
    return item;
  }

  private Map<String, AttributeValue> groupState(int i) {
    Map<String, AttributeValue> item = keys("GROUP#group" + (i / 40 * 40 + 3), "STATE#" + timestamp());
    item.put("status", s("ACTIVE"));
    item.put("tier", s(random.nextBoolean() ? "ADVANCED" : "ESSENTIAL"));
    item.put("has_machine", AttributeValue.builder().bool(random.nextBoolean()).build());
    item.put("modified_date", s(timestamp()));
    return item;
  }

  private Map<String, AttributeValue> groupIndicators(int i) {
    String group = "group" + (i / 40 * 40 + 3);
    Map<String, AttributeValue> item = keys("GROUP#" + group, "GROUP#" + group + "#UNRELIABLEINDICATORS");
    item.put("open_vulnerabilities", n(Integer.toString(random.nextInt(500))));
    item.put("mean_remediate", n(String.format(Locale.ROOT, "%.3f", random.nextInt(100_000) / 1000.0)));
    item.put("code_languages", l(List.of(m(Map.of("language", s("Java"), "loc", n(Integer.toString(random.nextInt(90_000))))))));
    return item;
  }

  private Map<String, AttributeValue> finding(int i) {
    Map<String, AttributeValue> item = keys("FIN#" + id(i), "GROUP#group" + (i / 40 * 40 + 3));
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
    Map<String, AttributeValue> item = keys("VULN#" + id(i), "FIN#" + id(i / 40 * 40 + 7));
    item.put("where", s("src/main/java/com/example/Service" + (i % 97) + ".java"));
    // A line number usually, a port or a URL parameter sometimes: mixed kinds stay text.
    item.put("specific", random.nextInt(10) == 0 ? s("port " + random.nextInt(65536)) : n(Integer.toString(random.nextInt(5000))));
    item.put("type", s(random.nextBoolean() ? "LINES" : "INPUTS"));
    item.put("state", m(Map.of("status", s(STATUSES[random.nextInt(STATUSES.length)]), "source", s("ASM"),
        "modified_date", s(timestamp()), "modified_by", s(email()))));
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

  /** A historic entry of an entity: same pk, sk {@code <KIND>#<iso time>}, a status and who changed it. */
  private Map<String, AttributeValue> history(int i, String pk, String kind, Map<String, AttributeValue> more) {
    String when = timestamp();
    Map<String, AttributeValue> item = keys(pk, kind + "#" + when);
    item.put("status", s(STATUSES[random.nextInt(STATUSES.length)]));
    item.put("modified_date", s(when));
    item.put("modified_by", s(email()));
    item.putAll(more);
    return item;
  }

  private Map<String, AttributeValue> event(int i) {
    Map<String, AttributeValue> item = keys("EVENT#" + id(i), "GROUP#group" + (i / 40 * 40 + 3));
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

  /** A stakeholder's access to an organization or group: same USER# partition as the stakeholder. */
  private Map<String, AttributeValue> access(int i, String to) {
    String email = "user" + (i / 40 * 40 + 28) + "@example.com";
    Map<String, AttributeValue> item = keys("USER#" + email, to);
    item.put("email", s(email));
    item.put("role", s(random.nextBoolean() ? "user" : "group_manager"));
    item.put("has_access", AttributeValue.builder().bool(true).build());
    item.put("state", m(Map.of("modified_date", s(timestamp()), "modified_by", s(email()))));
    return item;
  }

  private static final String[] ROOT_TYPES = {"Git", "IP", "URL"};

  private Map<String, AttributeValue> root(int i) {
    Map<String, AttributeValue> item = keys("ROOT#" + id(i / 2), "GROUP#group" + (i / 40 * 40 + 3));
    String type = ROOT_TYPES[(i / 40 + i) % 3];
    item.put("type", s(type));
    item.put("created_date", s(timestamp()));
    item.put("state", m(Map.of("status", s("ACTIVE"), "nickname", s("root-" + i),
        type.equals("IP") ? "address" : "url", s(type.equals("IP") ? "10.0.0." + (i % 250) : "https://repo.example/" + i))));
    return item;
  }

  /** A root's historic state: git roots record their branch, URL roots their host; the facets differ by that. */
  private Map<String, AttributeValue> rootState(int i) {
    Map<String, AttributeValue> item = keys("ROOT#" + id(i / 2), "STATE#" + timestamp());
    item.put("status", s("ACTIVE"));
    item.put("nickname", s("root-" + i));
    if (i % 2 == 0) {
      item.put("branch", s("trunk"));
      item.put("url", s("https://repo.example/" + i));
    } else {
      item.put("host", s("app" + i + ".example"));
      item.put("port", n("443"));
      item.put("protocol", s("HTTPS"));
    }
    return item;
  }

  private Map<String, AttributeValue> toeLines(int i) {
    String group = "group" + (i / 40 * 40 + 3);
    // File names may hold '#': the template's last value takes the rest of the key.
    String file = "src/pages/#" + (i % 9) + "/index.tsx";
    Map<String, AttributeValue> item = keys("GROUP#" + group, "LINES#ROOT#" + id(i % 50) + "#FILENAME#" + file);
    item.put("filename", s(file));
    item.put("loc", n(Integer.toString(random.nextInt(4000))));
    item.put("modified_date", s(timestamp()));
    return item;
  }

  private Map<String, AttributeValue> comment(int i) {
    Map<String, AttributeValue> item = keys("CMNT#" + (1_000_000 + i), "FIN#" + id(i / 40 * 40 + 7));
    item.put("content", s("Please, re-check line " + i + ": it says \"OK\",\nbut it isn't"));
    item.put("email", s(email()));
    item.put("creation_date", s(timestamp()));
    return item;
  }

  private Map<String, AttributeValue> execution(int i) {
    Map<String, AttributeValue> item = keys("EXEC#" + id(i), "GROUP#group" + (i / 40 * 40 + 3));
    item.put("exit_code", s(random.nextBoolean() ? "0" : "1"));
    item.put("strictness", s("strict"));
    item.put("vulnerabilities", m(Map.of("num_of_open_vulnerabilities", n(Integer.toString(random.nextInt(30))),
        "open", l(List.of(m(Map.of("kind", s("DAST"), "state", s("open"))))))));
    return item;
  }

  /** An entity type the data model does not list: its table is named from its keys' literal tokens. */
  private Map<String, AttributeValue> notification(int i) {
    Map<String, AttributeValue> item = keys("NOTIFICATION#" + id(i), "USER#user" + (i / 40 * 40 + 28) + "@example.com");
    item.put("kind", s("digest"));
    item.put("sent_at", s(timestamp()));
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

}
