package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.pipeline.schema.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Collections;

/**
 * A NoSQL Workbench data model (its JSON export: {@code DataModel[].TableFacets[]} with
 * {@code FacetName} and {@code KeyAttributeAlias.PartitionKeyAlias/SortKeyAlias}) read as the
 * routing: one table per facet, named from the facet. The model cannot say which attribute tells
 * apart facets that share both key templates, so those share one table, named by what their names
 * have in common ({@code git_root_metadata}, {@code ip_root_metadata} -> {@code root_metadata}).
 */
public final class WorkbenchModel {
  private WorkbenchModel() {}

  /** Whether {@code json} looks like a Workbench model (has a DataModel list). */
  public static boolean isModel(JsonNode json) {
    return json != null && json.path("DataModel").isArray();
  }

  public static TableRouting read(InputStream in, String where, String dynamoTable) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " is not valid JSON: " + e.getMessage(), e);
    }
    return routing(root, where, dynamoTable);
  }

  static TableRouting routing(JsonNode root, String where, String dynamoTable) {
    if (!isModel(root)) {
      throw new IllegalArgumentException(where + " is not a NoSQL Workbench model: it has no 'DataModel' list");
    }
    JsonNode table = null;
    for (JsonNode candidate : root.get("DataModel")) {
      if (dynamoTable.equals(candidate.path("TableName").asText()) || root.get("DataModel").size() == 1) {
        table = candidate;
      }
    }
    if (table == null) {
      throw new IllegalArgumentException(where + " has no table named '" + dynamoTable + "' in its DataModel");
    }
    // Facets with the same pair of templates, in the model's order.
    Map<String, List<String>> byTemplates = new LinkedHashMap<>();
    Map<String, String[]> templates = new LinkedHashMap<>();
    for (JsonNode facet : table.path("TableFacets")) {
      String name = facet.path("FacetName").asText(null);
      String pk = facet.path("KeyAttributeAlias").path("PartitionKeyAlias").asText(null);
      String sk = facet.path("KeyAttributeAlias").path("SortKeyAlias").asText(null);
      if (name == null || pk == null) {
        throw new IllegalArgumentException(where + ": a facet of " + dynamoTable + " lacks FacetName or PartitionKeyAlias");
      }
      String pair = pk + "\n" + (sk == null ? "" : sk);
      byTemplates.computeIfAbsent(pair, k -> new ArrayList<>()).add(name);
      templates.put(pair, new String[] {pk, sk});
    }
    if (byTemplates.isEmpty()) {
      throw new IllegalArgumentException(where + ": table " + dynamoTable + " has no TableFacets");
    }
    List<Facet> facets = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : byTemplates.entrySet()) {
      String[] pair = templates.get(entry.getKey());
      String tableName = sharedName(entry.getValue());
      try {
        facets.add(new Facet(tableName, KeyTemplate.parseLenient(pair[0]),
            Optional.ofNullable(pair[1]).map(KeyTemplate::parseLenient),
            Map.of(), List.of()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": facet " + entry.getValue() + ": " + e.getMessage(), e);
      }
    }
    return new TableRouting(facets, Optional.empty(), dynamoTable);
  }

  /** One facet's name, or the longest '_'-separated suffix (else prefix) that facets sharing keys have in common. */
  static String sharedName(List<String> names) {
    List<String> cleaned = names.stream().map(n -> fitTable(Identifiers.clean(n))).toList();
    if (cleaned.size() == 1) {
      return cleaned.get(0);
    }
    List<String[]> parts = cleaned.stream().map(n -> n.split("_")).toList();
    String suffix = common(parts, true);
    if (!suffix.isEmpty()) {
      return fitTable(suffix);
    }
    String prefix = common(parts, false);
    return fitTable((prefix.isEmpty() ? cleaned.get(0) : prefix) + "_merged");
  }

  private static String common(List<String[]> parts, boolean fromEnd) {
    List<String> shared = new ArrayList<>();
    for (int i = 0; ; i++) {
      String word = null;
      for (String[] p : parts) {
        if (i >= p.length) {
          return join(shared, fromEnd);
        }
        String w = fromEnd ? p[p.length - 1 - i] : p[i];
        if (word == null) {
          word = w;
        } else if (!word.equals(w)) {
          return join(shared, fromEnd);
        }
      }
      shared.add(word);
    }
  }

  private static String join(List<String> words, boolean reversed) {
    List<String> ordered = new ArrayList<>(words);
    if (reversed) {
      Collections.reverse(ordered);
    }
    return String.join("_", ordered);
  }

  private static String fitTable(String name) {
    String start = Character.isLetter(name.charAt(0)) ? name : "t_" + name;
    return start.length() > 63 ? start.substring(0, 63) : start;
  }
}
