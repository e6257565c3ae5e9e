package io.observes.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Opens the warehouse client the JDBC URL names. */
public final class Warehouses {
  private Warehouses() {}

  public static WarehouseClient open(WarehouseSettings settings) {
    String url = settings.url();
    boolean redshift = url.startsWith("jdbc:redshift:");
    if (!redshift && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("the warehouse URL must start with jdbc:redshift:// or jdbc:postgresql://");
    }
    if (redshift && settings.iamRole() == null) {
      throw new IllegalArgumentException("a Redshift warehouse needs OBSERVES_REDSHIFT_IAM_ROLE: the role COPY assumes to read S3");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(settings.user());
    config.setPassword(settings.password() == null ? null : settings.password().value());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(0);
    config.setPoolName("observes-warehouse");
    config.setDriverClassName(redshift ? "com.amazon.redshift.jdbc42.Driver" : "org.postgresql.Driver");
    // Fail fast with the pool's own message rather than hang a Batch node.
    config.setConnectionTimeout(20_000);
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    return redshift
        ? new RedshiftClient(pool, pool, settings.iamRole(), settings.queryGroup())
        : new PostgresClient(pool, pool);
  }
}
