package io.observes.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * PostgreSQL (local runs, tests, {@code observes demo}): a table's staged files are streamed from
 * object storage through one {@code COPY ... FROM STDIN} per column list, inside the load transaction. Identifiers are kept to
 * 63 bytes (PostgreSQL cuts longer ones silently).
 */
public final class PostgresClient extends BaseWarehouseClient {
  public PostgresClient(DataSource dataSource, AutoCloseable pool) {
    this(dataSource, pool, List.of());
  }

  public PostgresClient(DataSource dataSource, AutoCloseable pool, List<String> readers) {
    super(dataSource, pool, readers);
  }

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  String copySql(String schema, TableLoad load, TableLoad.CopyGroup group) {
    return StreamedCopy.sql(this, schema, load, group);
  }

  /**
   * COUNT(DISTINCT) sorts; under the database's locale every comparison is strcoll, which made it nine
   * tenths of a profile's time on 500,000 rows (bench/run.sh). Byte order ("C") counts the same values.
   */
  @Override
  protected String distinctCount(String column) {
    return "COUNT(DISTINCT " + column + " COLLATE " + quoted("C") + ")";
  }

  /**
   * REPEATABLE READ, so that every statement of the profile sees one snapshot (PostgreSQL's default,
   * READ COMMITTED, takes one per statement): a parent and its children, and the owner row that says
   * the staged counts are the tables'. And the row ids of a 500,000-row table (16 MB of text) sort in
   * memory rather than in temporary files: for this transaction only, and well within what the
   * stand-in has.
   */
  @Override
  protected void beginProfile(Connection connection) throws SQLException {
    execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    execute(connection, "SET LOCAL work_mem = '64MB'");
  }

  @Override
  protected void lockShared(Connection connection, String qualifiedTable) throws SQLException {
    execute(connection, "LOCK TABLE " + qualifiedTable + " IN SHARE MODE");
  }

  @Override
  protected void lockExclusive(Connection connection, String qualifiedTable) throws SQLException {
    execute(connection, "LOCK TABLE " + qualifiedTable + " IN EXCLUSIVE MODE");
  }

  /** One COPY FROM STDIN for the whole group: its files streamed one after the other, unzipped. */
  @Override
  protected long copy(Connection connection, String schema, TableLoad load, TableLoad.CopyGroup group)
      throws SQLException {
    return StreamedCopy.copy(connection, copySql(schema, load, group), load, group, Dialect.POSTGRESQL);
  }
}
