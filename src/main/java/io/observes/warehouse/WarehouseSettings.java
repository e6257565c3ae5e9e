package io.observes.warehouse;

import java.util.Objects;

/**
 * How to reach the warehouse: a JDBC URL ({@code jdbc:redshift://} or {@code jdbc:postgresql://}),
 * credentials, and for Redshift the IAM role COPY assumes and an optional WLM query group.
 */
public record WarehouseSettings(String url, String user, Secret password, String iamRole, String queryGroup, int poolSize) {
  public WarehouseSettings {
    Objects.requireNonNull(url, "url");
    if (poolSize < 1) {
      throw new IllegalArgumentException("the connection pool needs at least 1 connection");
    }
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
