package io.observes.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.observes.warehouse.WarehouseClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Embedded PostgreSQL 15 (the Redshift stand-in) with helpers to read tables back; clients in the dialect under test. */
public final class PostgresStandIn implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  public PostgresStandIn() throws Exception {
    postgres = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .start();
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
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
    return postgres.getPostgresDatabase().getConnection();
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

  @Override
  public void close() throws Exception {
    postgres.close();
  }
}
