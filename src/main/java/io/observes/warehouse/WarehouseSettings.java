package io.observes.warehouse;

import io.observes.config.UrlCredentials;
import java.util.List;
import java.util.Objects;

/**
 * How to reach the warehouse: a JDBC URL ({@code jdbc:redshift://} or {@code jdbc:postgresql://}),
 * credentials, for Redshift the IAM role COPY assumes, an optional WLM query group and the data
 * bucket's Region when it differs from the cluster's, the groups that keep read access to every
 * published schema, and the dialect when it is not the URL's: {@code redshift} on a
 * {@code jdbc:postgresql://} URL is the Redshift rehearsal ({@link RedshiftClient#rehearsal}).
 */
public record WarehouseSettings(String url, String user, Secret password, String iamRole, String queryGroup,
    int poolSize, List<String> readers, String region, String dialect) {
  public static final String REDSHIFT = "redshift";
  public static final String POSTGRESQL = "postgresql";

  public WarehouseSettings {
    Objects.requireNonNull(url, "url");
    if (dialect != null && !dialect.equals(REDSHIFT) && !dialect.equals(POSTGRESQL)) {
      throw new IllegalArgumentException("the warehouse dialect (OBSERVES_WAREHOUSE_DIALECT, --warehouse-dialect) must be "
          + "redshift or postgresql, was '" + dialect + "'");
    }
    if (POSTGRESQL.equals(dialect) && url.startsWith("jdbc:redshift:")) {
      throw new IllegalArgumentException("a jdbc:redshift:// URL is Redshift: the postgresql dialect cannot run on it");
    }
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
      RedshiftClient.check(iamRole, queryGroup, region);
    } else if (REDSHIFT.equals(dialect)) {
      RedshiftClient.checkOptions(queryGroup, region);
    }
  }

  public WarehouseSettings(String url, String user, Secret password, String iamRole, String queryGroup, int poolSize) {
    this(url, user, password, iamRole, queryGroup, poolSize, List.of(), null, null);
  }

  /** Whether this is the Redshift rehearsal: Redshift's dialect on a PostgreSQL database. */
  public boolean rehearsal() {
    return REDSHIFT.equals(dialect) && url.startsWith("jdbc:postgresql:");
  }

  /** A password that never prints. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return value == null ? "(none)" : "****";
    }
  }

  /**
   * {@code text} safe to show: without the password (in case a driver echoes the one given apart
   * from the URL) and without any credentials of a URL ({@link UrlCredentials#strip}).
   */
  public String redact(String text) {
    String out = text;
    if (out != null && password != null && password.value() != null && !password.value().isBlank()) {
      out = out.replace(password.value(), UrlCredentials.HIDDEN);
    }
    return UrlCredentials.strip(out);
  }

  @Override
  public String toString() {
    return "WarehouseSettings[url=" + UrlCredentials.strip(url) + ", user=" + user + ", password=" + password + "]";
  }
}
