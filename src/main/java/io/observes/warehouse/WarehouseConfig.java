package io.observes.warehouse;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the warehouse settings: {@code OBSERVES_WAREHOUSE_URL} (+ {@code _USER}, {@code _PASSWORD}),
 * else the legacy {@code REDSHIFT_HOST/PORT/DATABASE/USER/PASSWORD}; {@code OBSERVES_WAREHOUSE_DIALECT}
 * ({@code redshift} on a PostgreSQL URL: the Redshift rehearsal), {@code OBSERVES_REDSHIFT_REGION}.
 */
public final class WarehouseConfig {
  private WarehouseConfig() {}

  public static WarehouseSettings from(Environment env, String urlFlag) {
    String url = urlFlag != null ? urlFlag : env.get("OBSERVES_WAREHOUSE_URL").orElse(null);
    String user = env.get("OBSERVES_WAREHOUSE_USER").orElse(null);
    String password = env.get("OBSERVES_WAREHOUSE_PASSWORD").orElse(null);
    if (url == null) {
      String host = env.get("REDSHIFT_HOST").orElse(null);
      if (host == null) {
        throw new ConfigException("no warehouse configured: set OBSERVES_WAREHOUSE_URL (jdbc:redshift://host:5439/db or "
            + "jdbc:postgresql://host:5432/db) with OBSERVES_WAREHOUSE_USER and OBSERVES_WAREHOUSE_PASSWORD, "
            + "or the legacy REDSHIFT_HOST, REDSHIFT_PORT, REDSHIFT_DATABASE, REDSHIFT_USER, REDSHIFT_PASSWORD");
      }
      String database = env.get("REDSHIFT_DATABASE").orElseThrow(
          () -> new ConfigException("REDSHIFT_HOST is set but REDSHIFT_DATABASE is not: set the database name"));
      url = "jdbc:redshift://" + host + ":" + env.getOrDefault("REDSHIFT_PORT", "5439") + "/" + database;
      user = env.get("REDSHIFT_USER").orElse(user);
      password = env.get("REDSHIFT_PASSWORD").orElse(password);
    }
    if (!url.startsWith("jdbc:redshift:") && !url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("the warehouse URL must start with jdbc:redshift:// or jdbc:postgresql://");
    }
    int pool = env.integer("OBSERVES_WAREHOUSE_POOL_SIZE").orElse(4);
    try {
      List<String> readers = env.get("OBSERVES_WAREHOUSE_READERS").stream()
          .flatMap(v -> Arrays.stream(v.split(",")))
          .map(String::trim)
          .filter(v -> !v.isEmpty())
          .toList();
      return new WarehouseSettings(url, user, new WarehouseSettings.Secret(password),
          env.get("OBSERVES_REDSHIFT_IAM_ROLE").orElse(null), env.get("OBSERVES_REDSHIFT_QUERY_GROUP").orElse(null), pool,
          readers, env.get("OBSERVES_REDSHIFT_REGION").orElse(null), env.get("OBSERVES_WAREHOUSE_DIALECT").orElse(null));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}
