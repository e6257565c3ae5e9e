package io.observes.etl.dynamo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps the items of a single-table design to warehouse tables, by the prefix before {@code #} of
 * their partition and/or sort key: the first route that matches wins, and an item no route matches
 * goes to the fallback table, never away. Without routes every item goes to the fallback.
 */
public record TableRouting(List<Route> routes, String fallback) {
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /** One rule: a table and the key prefixes (before {@code #}) its items have; null matches any. */
  public record Route(
      @JsonProperty("table") String table,
      @JsonProperty("partition_prefix") String partitionPrefix,
      @JsonProperty("sort_prefix") String sortPrefix) {}

  /** The YAML file's shape. */
  record Document(@JsonProperty("routes") List<Route> routes, @JsonProperty("fallback") String fallback) {}

  public TableRouting {
    routes = routes == null ? List.of() : List.copyOf(routes);
    Objects.requireNonNull(fallback, "fallback");
    for (Route route : routes) {
      if (route.table() == null || !TABLE.matcher(route.table()).matches()) {
        throw new IllegalArgumentException("route table '" + route.table()
            + "' must be lower-case letters, digits and '_', starting with a letter");
      }
      if (route.partitionPrefix() == null && route.sortPrefix() == null) {
        throw new IllegalArgumentException("route '" + route.table() + "' needs a partition_prefix, a sort_prefix or both");
      }
    }
    if (!TABLE.matcher(fallback).matches()) {
      throw new IllegalArgumentException("fallback table '" + fallback + "' must be lower-case letters, digits and '_'");
    }
  }

  /** Every item in one table named after the DynamoDB table. */
  public static TableRouting single(String dynamoTable) {
    return new TableRouting(List.of(), io.observes.pipeline.schema.Identifiers.clean(dynamoTable));
  }

  public static TableRouting read(InputStream yaml, String where) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      Document doc = mapper.readValue(yaml, Document.class);
      if (doc == null || doc.fallback() == null) {
        throw new IllegalArgumentException(where + ": needs a 'fallback' table for items no route matches");
      }
      return new TableRouting(doc.routes(), doc.fallback());
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " is not a valid routing file: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  public String tableOf(Map<String, AttributeValue> item, String partitionKey, String sortKey) {
    String partition = prefix(item.get(partitionKey));
    String sort = sortKey == null ? null : prefix(item.get(sortKey));
    for (Route route : routes) {
      if ((route.partitionPrefix() == null || route.partitionPrefix().equals(partition))
          && (route.sortPrefix() == null || route.sortPrefix().equals(sort))) {
        return route.table();
      }
    }
    return fallback;
  }

  private static String prefix(AttributeValue key) {
    if (key == null || key.s() == null) {
      return null;
    }
    int hash = key.s().indexOf('#');
    return hash < 0 ? key.s() : key.s().substring(0, hash);
  }
}
