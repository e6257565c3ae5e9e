package io.observes.etl.dynamo;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One entity type of a single-table design: the warehouse table its items go to, the templates of
 * its partition and sort keys, and for facets that share templates, what tells its items apart:
 * attributes with a given string value ({@code type: Git}) or attributes present at all.
 */
public record Facet(String table, KeyTemplate partition, Optional<KeyTemplate> sort, Map<String, String> equals,
    List<String> present) {
  public Facet {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(sort, "sort");
    equals = Map.copyOf(equals);
    present = List.copyOf(present);
  }

  /** How an item matches: the facet's specificity, or empty when it does not match. */
  record Match(Facet facet, int conditions, int literals, int slack) implements Comparable<Match> {
    /** More conditions held, then more literal tokens, then fewer tokens taken by values: more specific. */
    @Override
    public int compareTo(Match other) {
      if (conditions != other.conditions) {
        return Integer.compare(conditions, other.conditions);
      }
      if (literals != other.literals) {
        return Integer.compare(literals, other.literals);
      }
      return Integer.compare(other.slack, slack);
    }
  }

  Optional<Match> match(String partitionKey, String sortKey, Map<String, AttributeValue> item) {
    int p = partition.match(partitionKey);
    if (p < 0) {
      return Optional.empty();
    }
    int s = 0;
    if (sort.isPresent()) {
      s = sort.get().match(sortKey);
      if (s < 0) {
        return Optional.empty();
      }
    } else if (sortKey != null) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> condition : equals.entrySet()) {
      AttributeValue value = item.get(condition.getKey());
      if (value == null || !condition.getValue().equals(value.s())) {
        return Optional.empty();
      }
    }
    for (String attribute : present) {
      AttributeValue value = item.get(attribute);
      if (value == null || Boolean.TRUE.equals(value.nul())) {
        return Optional.empty();
      }
    }
    return Optional.of(new Match(this, equals.size() + present.size(),
        partition.literals() + sort.map(KeyTemplate::literals).orElse(0), p + s));
  }
}
