package io.observes.warehouse;

import java.util.List;
import java.util.Objects;

/**
 * How to reach the warehouse: a JDBC URL ({@code jdbc:redshift://} or {@code jdbc:postgresql://}),
 * credentials, for Redshift the IAM role COPY assumes and an optional WLM query group, and the
 * groups that keep read access to every published schema.
 */
public record WarehouseSettings(
    String url, String user, Secret password, String iamRole, String queryGroup, int poolSize, List<String> readers) {
  public WarehouseSettings {
    Objects.requireNonNull(url, "url");
    if (poolSize < 1) {
      throw new IllegalArgumentException("the connection pool needs at least 1 connection");
    }
    readers = List.copyOf(readers);
    for (String group : readers) {
      if (group.isBlank() || group.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("OBSERVES_WAREHOUSE_READERS must be a comma-separated list of group names");
      }
    }
    if (url.startsWith("jdbc:redshift:")) {
      RedshiftClient.check(iamRole, queryGroup);
    }
  }

  public WarehouseSettings(String url, String user, Secret password, String iamRole, String queryGroup, int poolSize) {
    this(url, user, password, iamRole, queryGroup, poolSize, List.of());
  }

  /** A password that never prints. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return value == null ? "(none)" : "****";
    }
  }

  @Override
  public String toString() {
    return "WarehouseSettings[url=" + url + ", user=" + user + ", password=" + password + "]";
  }
}
