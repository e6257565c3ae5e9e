package io.observes.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.observes.demo.DemoStack;
import io.observes.warehouse.WarehouseClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Embedded PostgreSQL 15 (the Redshift stand-in) with helpers to read tables back; clients in the
 * dialect under test. Each stand-in is a database of its own, created empty and dropped on close, on
 * the one server of this JVM: starting a server took 2.5 to 4.3 s and stopping it up to 2 s,
 * creating a database 0.2 to 0.4 s (docs/performance.md, "Test suite"). Roles are the server's:
 * a test class that creates one gives it a name of its own.
 */
public final class PostgresStandIn implements AutoCloseable {
  private final String database;

  public PostgresStandIn() throws SQLException {
    database = "test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = Server.POSTGRES.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
  }

  /**
   * A new database of this JVM's server as the demo stack's warehouse, dropped when the stack closes:
   * the dynamo tests' stacks share the server instead of starting a cluster each.
   */
  public static DemoStack.Warehouse forStack() throws SQLException {
    PostgresStandIn database = new PostgresStandIn();
    return new DemoStack.Warehouse(database.jdbcUrl(), Server.POSTGRES.getPort(), database);
  }

  public String jdbcUrl() {
    return Server.POSTGRES.getJdbcUrl("postgres", database);
  }

  /** A fresh client with its own pool, as a job process would open it. */
  public WarehouseClient client() {
    return client("observes-test");
  }

  /** A fresh client whose sessions show {@code applicationName} in pg_stat_activity. */
  public WarehouseClient client(String applicationName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.addDataSourceProperty("ApplicationName", applicationName);
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(config);
    return TestDialect.client(pool, pool, java.util.List.of());
  }

  public Connection connect() throws SQLException {
    return Server.POSTGRES.getDatabase("postgres", database).getConnection();
  }

  /** All rows of a query as column -> value maps (values as PostgreSQL's text output). */
  public List<Map<String, String>> rows(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      List<Map<String, String>> rows = new ArrayList<>();
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(r.getMetaData().getColumnName(i), r.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Drops the database; sessions a test left open on it are ended with it. */
  @Override
  public void close() throws SQLException {
    try (Connection c = Server.POSTGRES.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE " + database + " WITH (FORCE)");
    }
  }

  /** The server of this JVM: started on first use, stopped when the JVM exits (zonky's shutdown hook). */
  private static final class Server {
    static final EmbeddedPostgres POSTGRES = start();

    private static EmbeddedPostgres start() {
      try {
        return EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
  }
}
