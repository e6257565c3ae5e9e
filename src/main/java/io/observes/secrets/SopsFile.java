package io.observes.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A SOPS-encrypted YAML document as read: its tree (the values still encrypted, the keys in the
 * clear, so the names it holds are known without a key) and its {@code sops:} metadata.
 * {@link SopsDecryption} opens it with the data key.
 */
public record SopsFile(String origin, ObjectNode tree, SopsMetadata metadata) {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public SopsFile {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** The top-level keys: the names of the secrets. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    tree.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Parses {@code text}; {@code origin} names the file in errors. A file that is not SOPS YAML is a {@link SecretsException}. */
  public static SopsFile parse(String origin, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SecretsException(origin + " is not valid YAML (line " + e.getLocation().getLineNr() + "): "
          + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SecretsException(origin + " must be a YAML mapping of secret names to values, encrypted by sops");
    }
    ObjectNode tree = ((ObjectNode) root).deepCopy();
    JsonNode sops = tree.remove("sops");
    if (sops == null || !sops.isObject()) {
      throw new SecretsException(origin + " has no 'sops:' block: it is not encrypted. Encrypt it with "
          + "'sops encrypt --in-place " + origin + "' (docs/secrets.md)");
    }
    return new SopsFile(origin, tree, metadata(origin, sops));
  }

  private static SopsMetadata metadata(String origin, JsonNode sops) {
    List<SopsMetadata.AgeKey> age = new ArrayList<>();
    List<SopsMetadata.KmsKey> kms = new ArrayList<>();
    List<JsonNode> groups = new ArrayList<>();
    if (sops.path("key_groups").isArray() && !sops.path("key_groups").isEmpty()) {
      if (sops.path("key_groups").size() > 1) {
        throw new SecretsException(origin + " splits its data key into " + sops.path("key_groups").size()
            + " key groups (Shamir); Observes reads files with one group. Re-encrypt it with the keys in one group");
      }
      groups.add(sops.path("key_groups").get(0));
    } else {
      groups.add(sops);
    }
    for (JsonNode group : groups) {
      for (JsonNode a : group.path("age")) {
        age.add(new SopsMetadata.AgeKey(a.path("recipient").asText(), a.path("enc").asText()));
      }
      for (JsonNode k : group.path("kms")) {
        Map<String, String> context = new LinkedHashMap<>();
        k.path("context").fields().forEachRemaining(e -> context.put(e.getKey(), e.getValue().asText()));
        String role = k.path("role").asText("");
        kms.add(new SopsMetadata.KmsKey(k.path("arn").asText(), k.path("enc").asText(), context,
            role.isBlank() ? Optional.empty() : Optional.of(role)));
      }
    }
    if (!sops.path("unencrypted_comment_regex").asText("").isEmpty()
        || !sops.path("encrypted_comment_regex").asText("").isEmpty()) {
      throw new SecretsException(origin + " selects its encrypted values by comments (encrypted_comment_regex or "
          + "unencrypted_comment_regex), which Observes does not read; use a key suffix or regex rule");
    }
    SopsMetadata.Rule rule = SopsMetadata.Rule.DEFAULT;
    int rules = 0;
    for (Map.Entry<String, SopsMetadata.RuleKind> r : Map.of("unencrypted_suffix", SopsMetadata.RuleKind.UNENCRYPTED_SUFFIX,
        "encrypted_suffix", SopsMetadata.RuleKind.ENCRYPTED_SUFFIX, "unencrypted_regex", SopsMetadata.RuleKind.UNENCRYPTED_REGEX,
        "encrypted_regex", SopsMetadata.RuleKind.ENCRYPTED_REGEX).entrySet()) {
      String pattern = sops.path(r.getKey()).asText("");
      if (!pattern.isEmpty()) {
        rule = new SopsMetadata.Rule(r.getValue(), pattern);
        rules++;
      }
    }
    if (rules > 1) {
      throw new SecretsException(origin + " sets more than one of unencrypted_suffix, encrypted_suffix, unencrypted_regex "
          + "and encrypted_regex; sops allows one");
    }
    String lastModified = sops.path("lastmodified").asText("");
    if (lastModified.isEmpty()) {
      throw new SecretsException(origin + ": its sops block has no 'lastmodified'; the file is damaged");
    }
    String mac = sops.path("mac").asText("");
    return new SopsMetadata(age, kms, lastModified, mac.isEmpty() ? null : mac, rule,
        sops.path("mac_only_encrypted").asBoolean(false), sops.path("version").asText(""));
  }

  /**
   * Replaces every leaf of {@code node} that is not null, in document order, with what {@code leaf}
   * returns for its path and itself; list items take their list's path, as sops walks a tree.
   */
  static void replaceLeaves(JsonNode node, List<String> path, BiFunction<List<String>, JsonNode, JsonNode> leaf) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        List<String> child = new ArrayList<>(path);
        child.add(name);
        JsonNode value = object.get(name);
        if (value.isContainerNode()) {
          replaceLeaves(value, child, leaf);
        } else if (!value.isNull()) {
          object.set(name, leaf.apply(child, value));
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isContainerNode()) {
          replaceLeaves(value, path, leaf);
        } else if (!value.isNull()) {
          array.set(i, leaf.apply(path, value));
        }
      }
    }
  }

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
}
