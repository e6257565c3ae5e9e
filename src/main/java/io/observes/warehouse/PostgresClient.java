package io.observes.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

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
    // CSV: only an unquoted field equal to the NULL string is NULL, so a quoted "\N" stays text.
    return "COPY " + qualified(schema, load.table()) + " ("
        + group.columns().stream().map(this::quoted).collect(Collectors.joining(", "))
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

  /** One COPY FROM STDIN for the whole group: its files streamed one after the other, unzipped. */
  @Override
  protected long copy(Connection connection, String schema, TableLoad load, TableLoad.CopyGroup group)
      throws SQLException {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    Iterator<TableLoad.StagedFile> files = group.files().iterator();
    InputStream all = new SequenceInputStream(new Enumeration<>() {
      @Override
      public boolean hasMoreElements() {
        return files.hasNext();
      }

      @Override
      public InputStream nextElement() {
        TableLoad.StagedFile file = files.next();
        try {
          return new GZIPInputStream(load.opener().open(file.uri()), 1 << 16);
        } catch (IOException e) {
          throw new UncheckedIOException("could not read " + file.uri() + " while loading it: " + e.getMessage(), e);
        }
      }
    });
    try (all) {
      return copy.copyIn(copySql(schema, load, group), all, 1 << 16);
    } catch (IOException | UncheckedIOException e) {
      throw new WarehouseException("could not read the staged files of " + load.table() + " while loading them: "
          + e.getMessage(), e);
    }
  }
}
