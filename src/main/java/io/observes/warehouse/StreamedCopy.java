package io.observes.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One group of a table's staged files streamed, decompressed (zstd, or gzip for runs staged before
 * zstd) and one after the other, through one
 * {@code COPY ... FROM STDIN} on a PostgreSQL connection: the load of the PostgreSQL dialect, and
 * the Redshift rehearsal's stand-in for Redshift's {@code COPY ... FROM 's3://...' MANIFEST} (the
 * same manifest's files, the same bytes). Files staged for Redshift mark NULL with a NUL-only field,
 * which PostgreSQL cannot read at all; they pass through {@link NulMarkerStream} on the way.
 */
final class StreamedCopy {
  private StreamedCopy() {}

  /**
   * The COPY that reads the stream: CSV, where only an unquoted field equal to the NULL string is
   * NULL, so a quoted "\N" stays text. PostgreSQL's literal rules, whichever dialect wrote the files.
   */
  static String sql(BaseWarehouseClient client, String schema, TableLoad load, TableLoad.CopyGroup group) {
    return "COPY " + client.qualified(schema, load.table()) + " ("
        + group.columns().stream().map(client::quoted).collect(Collectors.joining(", "))
        + ") FROM STDIN WITH (FORMAT csv, NULL '\\N')";
  }

  /** Runs {@code copyFromStdin} fed with the group's files; returns the rows PostgreSQL copied. */
  static long copy(Connection connection, String copyFromStdin, TableLoad load, TableLoad.CopyGroup group,
      Dialect stagedFor) throws SQLException {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    boolean nulMarker = stagedFor.nullMarker().equals(Dialect.REDSHIFT.nullMarker());
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
          InputStream csv = group.compression().decompress(load.opener().open(file.uri()));
          return nulMarker ? new NulMarkerStream(csv, file.uri()) : csv;
        } catch (IOException e) {
          throw new UncheckedIOException("could not read " + file.uri() + " while loading it: " + e.getMessage(), e);
        }
      }
    });
    try (all) {
      return copy.copyIn(copyFromStdin, all, 1 << 16);
    } catch (IOException | UncheckedIOException e) {
      throw new WarehouseException("could not read the staged files of " + load.table() + " while loading them: "
          + e.getMessage(), e);
    }
  }
}
