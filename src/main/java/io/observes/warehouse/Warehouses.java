package io.observes.warehouse;

import io.observes.warehouse.rehearsal.RedshiftRules;
import io.observes.warehouse.rehearsal.StatementCapture;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.observes.config.UrlCredentials;
import java.util.Properties;

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
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(0);
    config.setPoolName("observes-warehouse");
    config.setConnectionTimeout(30_000);
    // One connection attempt at open: an unreachable warehouse fails now, with the driver's reason.
    config.setInitializationFailTimeout(1);
    HikariDataSource pool;
    try {
      // The pool makes its connections through the driver as it would from the URL, but every failure
      // passes StrippedDataSource first: the pool logs what the driver says, and drivers quote the URL.
      config.setDataSource(new StrippedDataSource(new DriverDataSource(url, redshift ? "com.amazon.redshift.jdbc42.Driver"
          : "org.postgresql.Driver", new Properties(), settings.user(), settings.password() == null ? null
          : settings.password().value()), settings));
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new WarehouseException("cannot connect to the warehouse: " + settings.redact(root.getMessage())
          + ". Check OBSERVES_WAREHOUSE_URL, the credentials and the network path to the database.", UrlCredentials.strip(e));
    }
    if (settings.rehearsal()) {
      return RedshiftClient.rehearsal(pool, pool, settings.region(), settings.readers(), StatementCapture.fromSystem());
    }
    return redshift
        ? new RedshiftClient(pool, pool, settings.iamRole(), settings.queryGroup(), settings.region(), settings.readers())
        : new PostgresClient(pool, pool, settings.readers());
  }
}
