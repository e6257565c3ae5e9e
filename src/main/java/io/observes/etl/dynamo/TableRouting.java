package io.observes.etl.dynamo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.observes.pipeline.schema.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps the items of a single-table design to warehouse tables, one per entity type (facet): an item
 * belongs to the most specific facet whose key templates its keys match (literal tokens equal, value
 * tokens anything) and whose conditions it meets. An item no facet matches goes to a table named
 * from its keys' literal tokens ({@code USER_ORG#x / STATE#t} -> {@code user_org__state}), so an
 * unknown entity type still gets a table of its own, or, only if the routing asks for one, to a
 * catch-all table. Nothing is ever dropped.
 */
public final class TableRouting {
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  /** Literal tokens of unknown keys: upper-case letters and '_' only, so ids (with digits) never name a table. */
  private static final Pattern UNKNOWN_LITERAL = Pattern.compile("[A-Z][A-Z_]*");

  private final List<Facet> facets;
  private final Optional<String> catchAll;
  private final String untyped;
  /** Facets by the literal their partition key starts with; the rest are tried for every item. */
  private final Map<String, List<Facet>> byFirstLiteral = new HashMap<>();
  private final List<Facet> anyStart = new ArrayList<>();

  /** One facet of the YAML file. */
  record FacetDocument(
      @JsonProperty("table") String table,
      @JsonProperty("pk") String pk,
      @JsonProperty("sk") String sk,
      @JsonProperty("when") Map<String, String> when,
      @JsonProperty("has") List<String> has) {}

  /** The YAML file's shape. */
  record Document(@JsonProperty("facets") List<FacetDocument> facets, @JsonProperty("catch_all") String catchAll) {}

  /**
   * @param untyped the table of items whose keys have no literal token at all (named after the
   *     DynamoDB table), when there is no catch-all
   */
  public TableRouting(List<Facet> facets, Optional<String> catchAll, String untyped) {
    this.facets = List.copyOf(facets);
    this.catchAll = catchAll;
    this.untyped = Identifiers.clean(untyped);
    for (Facet facet : this.facets) {
      if (!TABLE.matcher(facet.table()).matches()) {
        throw new IllegalArgumentException("facet table '" + facet.table()
            + "' must be 1-63 lower-case letters, digits and '_', starting with a letter");
      }
      KeyTemplate.Token first = facet.partition().tokens().get(0);
      if (first.literal()) {
        byFirstLiteral.computeIfAbsent(first.text(), k -> new ArrayList<>()).add(facet);
      } else {
        anyStart.add(facet);
      }
    }
    catchAll.ifPresent(table -> {
      if (!TABLE.matcher(table).matches()) {
        throw new IllegalArgumentException("catch_all table '" + table + "' must be lower-case letters, digits and '_'");
      }
    });
  }

  /** Every item in one table named after the DynamoDB table. */
  public static TableRouting single(String dynamoTable) {
    return new TableRouting(List.of(), Optional.of(Identifiers.clean(dynamoTable)), dynamoTable);
  }

  public List<Facet> facets() {
    return facets;
  }

  public static TableRouting read(InputStream yaml, String where, String dynamoTable) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Document doc;
    try {
      doc = mapper.readValue(yaml, Document.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " is not a valid routing file: " + e.getMessage(), e);
    }
    if (doc == null || doc.facets() == null || doc.facets().isEmpty()) {
      throw new IllegalArgumentException(where + ": needs 'facets', a list of {table, pk, sk} entries");
    }
    List<Facet> facets = new ArrayList<>();
    for (int i = 0; i < doc.facets().size(); i++) {
      FacetDocument f = doc.facets().get(i);
      String at = where + ": facets[" + i + "]" + (f.table() == null ? "" : " (" + f.table() + ")");
      if (f.table() == null || f.pk() == null) {
        throw new IllegalArgumentException(at + ": needs a 'table' and a 'pk' template");
      }
      try {
        facets.add(new Facet(f.table(), KeyTemplate.parse(f.pk()), Optional.ofNullable(f.sk()).map(KeyTemplate::parse),
            f.when() == null ? Map.of() : f.when(), f.has() == null ? List.of() : f.has()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
    }
    try {
      return new TableRouting(facets, Optional.ofNullable(doc.catchAll()), dynamoTable);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  public String tableOf(Map<String, AttributeValue> item, String partitionKey, String sortKey) {
    String partition = text(item.get(partitionKey));
    String sort = sortKey == null ? null : text(item.get(sortKey));
    Facet.Match best = null;
    if (partition != null) {
      int hash = partition.indexOf('#');
      List<Facet> candidates = byFirstLiteral.getOrDefault(hash < 0 ? partition : partition.substring(0, hash), List.of());
      for (List<Facet> group : List.of(candidates, anyStart)) {
        for (Facet facet : group) {
          Optional<Facet.Match> match = facet.match(partition, sort, item);
          if (match.isPresent() && (best == null || match.get().compareTo(best) > 0)) {
            best = match.get();
          }
        }
      }
    }
    if (best != null) {
      return best.facet().table();
    }
    return catchAll.orElseGet(() -> fromLiterals(partition, sort));
  }

  /** A table named from the keys' literal tokens, for an entity type no facet describes. */
  private String fromLiterals(String partition, String sort) {
    List<String> parts = new ArrayList<>();
    for (String key : new String[] {partition, sort}) {
      String literals = literals(key);
      if (!literals.isEmpty()) {
        parts.add(literals);
      }
    }
    return parts.isEmpty() ? untyped : String.join("__", parts);
  }

  private static String literals(String key) {
    if (key == null) {
      return "";
    }
    List<String> found = new ArrayList<>();
    for (String token : key.split("#", -1)) {
      if (UNKNOWN_LITERAL.matcher(token).matches()) {
        found.add(token.toLowerCase(Locale.ROOT));
      }
    }
    return String.join("_", found);
  }

  private static String text(AttributeValue key) {
    if (key == null) {
      return null;
    }
    return key.s() != null ? key.s() : key.n();
  }
}
