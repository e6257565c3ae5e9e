package io.observes.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.observes.demo.DemoStack;
import io.observes.warehouse.WarehouseClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** Room a data directory on /dev/shm needs: the server's own databases, the tests' and a bounded WAL. */
    private static final long SHM_ROOM = 1L << 30;
    static final EmbeddedPostgres POSTGRES = start();

    private static EmbeddedPostgres start() {
      try {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        dataOnTmpfs().ifPresent(builder::setDataDirectory);
        return builder
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            // Checkpoints recycle the WAL at 64 MB, not 1 GB: every CREATE DATABASE writes its copy of
            // the template (about 7 MB) to the WAL, and a tmpfs holds the WAL in memory.
            .setServerConfig("max_wal_size", "64MB")
            .setServerConfig("min_wal_size", "32MB")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }

    /**
     * A data directory on /dev/shm when it is a tmpfs with room. Each test class creates and drops a
     * database, some 300 files; on ext4 the kernel's search for an inode not recently deleted
     * ({@code recently_deleted}, {@code find_inode_bit}) took 2% of the CPU samples of the default
     * execution, PostgreSQL's share 17.8% -> 15.7% on tmpfs (docs/performance.md, "Test suite"). A
     * small /dev/shm (a container's 64 MB) keeps zonky's default, the system's temporary directory.
     */
    private static Optional<File> dataOnTmpfs() throws IOException {
      Path shm = Path.of("/dev/shm");
      if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
        return Optional.empty();
      }
      FileStore store = Files.getFileStore(shm);
      if (!"tmpfs".equals(store.type()) || store.getUsableSpace() < SHM_ROOM) {
        return Optional.empty();
      }
      return Optional.of(Files.createTempDirectory(shm, "observes-test-pg").toFile());
    }
  }
}
