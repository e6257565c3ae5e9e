package io.observes.bench;

import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.warehouse.Compression;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.testing.PostgresStandIn;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The load's baseline: the very same staged files copied by plain {@code COPY ... FROM STDIN} into
 * fresh copies of the staging tables, one COPY per table and column list, with none of the load's
 * checks and bookkeeping.
 */
final class RawCopy {
  private static final String SCHEMA = "bench_raw";

  private final PostgresStandIn pg;
  private final ObjectStore store;

  RawCopy(PostgresStandIn pg, ObjectStore store) {
    this.pg = pg;
    this.store = store;
  }

  /** One COPY: a table, its file column list, and its files. */
  record Table(String name, List<String> columns, List<String> parts, long rows) {}

  /** The files of every segment by table and column list, as the loader groups them. */
  static List<Table> tables(List<Manifest> manifests, Schema schema) {
    Map<String, Table> byList = new LinkedHashMap<>();
    for (Manifest manifest : manifests) {
      for (Manifest.TableManifest tm : manifest.tables()) {
        TableSchema ts = schema.table(tm.key()).orElseThrow(() -> new IllegalStateException("no table for " + tm.key()));
        List<String> columns = new ArrayList<>();
        for (Bookkeeping b : ts.bookkeeping()) {
          columns.add(b.column());
        }
        for (SourcePath path : tm.columnPaths()) {
          columns.add(ts.column(path).orElseThrow(() -> new IllegalStateException("no column for " + path)).name());
        }
        Table known = byList.get(ts.name() + columns);
        List<String> parts = new ArrayList<>(known == null ? List.of() : known.parts());
        tm.parts().forEach(p -> parts.add(p.uri()));
        byList.put(ts.name() + columns, new Table(ts.name(), columns, parts, (known == null ? 0 : known.rows()) + tm.rows()));
      }
    }
    return new ArrayList<>(byList.values());
  }

  /** Fresh {@code LIKE} copies of the staging tables, then one transaction of plain COPYs; returns the nanoseconds. */
  long copy(String staging, List<Table> tables) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("CREATE SCHEMA " + SCHEMA);
      for (String name : tables.stream().map(Table::name).distinct().toList()) {
        s.execute("CREATE TABLE " + SCHEMA + "." + PipelineBenchmark.q(name) + " (LIKE " + PipelineBenchmark.q(staging) + "."
            + PipelineBenchmark.q(name) + ")");
      }
    }
    checkpoint();
    long t0 = System.nanoTime();
    try (Connection c = pg.connect()) {
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      for (Table t : tables) {
        String sql = "COPY " + SCHEMA + "." + PipelineBenchmark.q(t.name()) + " (" + PipelineBenchmark.joinQuoted(t.columns())
            + ") FROM STDIN WITH (FORMAT csv, NULL '\\N')";
        long rows = 0;
        for (String uri : t.parts()) {
          // The baseline reads the parts as they are staged: zstd, or gzip by their name.
          Compression compression = uri.endsWith(Compression.GZIP.suffix()) ? Compression.GZIP : Compression.ZSTD;
          try (InputStream in = compression.decompress(store.open(S3Uri.parse(uri)))) {
            rows += copy.copyIn(sql, in, 1 << 16);
          }
        }
        if (rows != t.rows()) {
          throw new IllegalStateException("raw COPY of " + t.name() + " read " + rows + " rows, the manifests say " + t.rows());
        }
      }
      c.commit();
    }
    return System.nanoTime() - t0;
  }

  void verify(String staging, List<Table> tables) throws SQLException {
    Map<String, Long> expected = new LinkedHashMap<>();
    tables.forEach(t -> expected.merge(t.name(), t.rows(), Long::sum));
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      for (Map.Entry<String, Long> t : expected.entrySet()) {
        long loaded = count(s, staging, t.getKey());
        long raw = count(s, SCHEMA, t.getKey());
        if (loaded != t.getValue() || raw != t.getValue()) {
          throw new IllegalStateException(t.getKey() + ": staged " + t.getValue() + ", loaded " + loaded + ", raw " + raw);
        }
      }
    }
  }

  /** Starts every measured load from the same state: no dirty buffers or pending WAL of the previous one. */
  void checkpoint() throws SQLException {
    pg.execute("CHECKPOINT");
  }

  private static long count(Statement s, String schema, String table) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + PipelineBenchmark.q(schema) + "." + PipelineBenchmark.q(table))) {
      r.next();
      return r.getLong(1);
    }
  }
}
