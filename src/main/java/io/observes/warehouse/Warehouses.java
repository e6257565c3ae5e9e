package io.observes.warehouse;

import io.observes.warehouse.rehearsal.RedshiftRules;
import io.observes.warehouse.rehearsal.StatementCapture;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Opens the warehouse client the JDBC URL (and, for the Redshift rehearsal, the dialect) names. */
public final class Warehouses {
  private Warehouses() {}

  /** The dialect the URL names, without connecting (a dry run stages for it and touches nothing). */
  public static Dialect dialect(WarehouseSettings settings) {
    if (settings.url().startsWith("jdbc:redshift:") || settings.rehearsal()) {
      return settings.rehearsal() ? Dialect.REDSHIFT_REHEARSAL : Dialect.REDSHIFT;
    }
    if (settings.url().startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGRESQL;
    }
    throw new IllegalArgumentException("the warehouse URL must start with jdbc:redshift:// or jdbc:postgresql://");
  }

  public static WarehouseClient open(WarehouseSettings settings) {
    String url = settings.url();
    boolean redshift = url.startsWith("jdbc:redshift:");
    if (!redshift && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("the warehouse URL must start with jdbc:redshift:// or jdbc:postgresql://");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(settings.user());
    config.setPassword(settings.password() == null ? null : settings.password().value());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(0);
    config.setPoolName("observes-warehouse");
    config.setDriverClassName(redshift ? "com.amazon.redshift.jdbc42.Driver" : "org.postgresql.Driver");
    config.setConnectionTimeout(30_000);
    // One connection attempt at open: an unreachable warehouse fails now, with the driver's reason.
    config.setInitializationFailTimeout(1);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new WarehouseException("cannot connect to the warehouse: " + root.getMessage()
          + ". Check OBSERVES_WAREHOUSE_URL, the credentials and the network path to the database.", e);
    }
    if (settings.rehearsal()) {
      return RedshiftClient.rehearsal(pool, pool, settings.region(), settings.readers(), StatementCapture.fromSystem());
    }
    return redshift
        ? new RedshiftClient(pool, pool, settings.iamRole(), settings.queryGroup(), settings.region(), settings.readers())
        : new PostgresClient(pool, pool, settings.readers());
  }
}
