package io.observes.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL (local runs, tests, {@code observes demo}): the staged files are streamed from object
 * storage through {@code COPY ... FROM STDIN}, inside the load transaction. Identifiers are kept to
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

  String copySql(String schema, TableLoad load) {
    // CSV: only an unquoted field equal to the NULL string is NULL, so a quoted "\N" stays text.
    return "COPY " + qualified(schema, load.table()) + " ("
        + load.columns().stream().map(this::quoted).collect(Collectors.joining(", "))
        + ") FROM STDIN WITH (FORMAT csv, NULL " + literal(Dialect.POSTGRESQL.nullMarker()) + ")";
  }

  @Override
  protected void lockShared(Connection connection, String qualifiedTable) throws SQLException {
    execute(connection, "LOCK TABLE " + qualifiedTable + " IN SHARE MODE");
  }

  @Override
  protected void lockExclusive(Connection connection, String qualifiedTable) throws SQLException {
    execute(connection, "LOCK TABLE " + qualifiedTable + " IN EXCLUSIVE MODE");
  }

  @Override
  protected long copy(Connection connection, String schema, TableLoad load) throws SQLException {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    String sql = copySql(schema, load);
    long rows = 0;
    for (TableLoad.StagedFile file : load.files()) {
      try (InputStream in = new GZIPInputStream(load.opener().open(file.uri()), 1 << 16)) {
        long copied = copy.copyIn(sql, in, 1 << 16);
        if (copied != file.rows()) {
          throw new WarehouseException(file.uri() + " holds " + file.rows() + " rows by its manifest but COPY read "
              + copied + "; the file is damaged or was replaced. Re-stage the segment (phase1 --restage).");
        }
        rows += copied;
      } catch (IOException e) {
        throw new WarehouseException("could not read " + file.uri() + " while loading it: " + e.getMessage(), e);
      }
    }
    return rows;
  }
}
