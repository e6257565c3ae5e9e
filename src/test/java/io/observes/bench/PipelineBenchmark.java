package io.observes.bench;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.Target;
import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.flatten.Cell;
import io.observes.pipeline.flatten.Flattener;
import io.observes.pipeline.load.SegmentLoader;
import io.observes.pipeline.schema.Bookkeeping;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SchemaPolicy;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.value.Value;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.testing.PostgresStandIn;
import io.observes.testing.S3StandIn;
import io.observes.warehouse.WarehouseClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Throughput benchmark of the generic pipeline on a deterministic, generated data set of nested
 * "vulnerability" records. A plain program (not a test): run it with {@code bench/run.sh}.
 *
 * <ol>
 *   <li>(a) {@link Flattener#flatten} + {@link CellEncoder#encode} on one thread, after a warm-up pass;
 *   <li>(b) {@link Pipeline#stage} of one segment into s3proxy (gzip CSV parts + manifest);
 *   <li>(c) {@link Pipeline#prepare} + {@link Pipeline#load} into embedded PostgreSQL, against a raw
 *       {@code COPY ... FROM STDIN} of the very same staged files into identical empty tables.
 * </ol>
 */
public final class PipelineBenchmark {
  private static final String STREAM = "vulns";
  private static final String DATA_BUCKET = "observes-data";
  private static final String CACHE_BUCKET = "observes-cache";
  private static final String RAW_SCHEMA = "bench_raw";
  private static final int BATCH = 5_000;

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (options == null) {
      return;
    }
    int status = 0;
    try {
      new Run(options).run();
    } catch (Throwable t) {
      t.printStackTrace();
      status = 1;
    }
    // s3proxy / Jetty and the pools may leave non-daemon threads behind.
    System.exit(status);
  }

  // ---------------------------------------------------------------------------------------------
  // Options

  record Options(int records, long seed, long partMiB, int loadRounds, boolean showSchema) {
    static Options parse(String[] args) {
      int records = 200_000;
      long seed = 20240601L;
      long partMiB = 64;
      int loadRounds = 2;
      boolean showSchema = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--records" -> records = Integer.parseInt(value(args, ++i, a).replace("_", ""));
          case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
          case "--part-mib" -> partMiB = Long.parseLong(value(args, ++i, a));
          case "--load-rounds" -> loadRounds = Integer.parseInt(value(args, ++i, a));
          case "--show-schema" -> showSchema = true;
          case "-h", "--help" -> {
            System.out.println("usage: PipelineBenchmark [--records N (200000)] [--seed S] [--part-mib MiB (64)]"
                + " [--load-rounds R (2)] [--show-schema]");
            return null;
          }
          default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
        }
      }
      if (records < 1 || loadRounds < 1) {
        throw new IllegalArgumentException("--records and --load-rounds must be at least 1");
      }
      return new Options(records, seed, partMiB, loadRounds, showSchema);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The run

  private static final class Run {
    private final Options options;
    private final Generator generator;
    private final List<String[]> figures = new ArrayList<>();

    Run(Options options) {
      this.options = options;
      this.generator = new Generator(options.seed());
    }

    void run() throws Exception {
      int n = options.records();
      System.out.printf(Locale.ROOT, "Observes pipeline benchmark: %,d records, seed %d%n", n, options.seed());
      String loadBefore = loadAverage();

      // (a) flatten + encode, one thread
      System.out.println("(a) flatten + encode: warm-up pass ...");
      FlattenResult warm = flattenEncode(n);
      System.out.println("(a) flatten + encode: measured pass ...");
      FlattenResult fe = flattenEncode(n);
      if (fe.rows != warm.rows || fe.bytes != warm.bytes) {
        throw new IllegalStateException("the generated data set is not deterministic: " + warm + " vs " + fe);
      }
      double feSec = fe.nanos / 1e9;
      System.out.printf(Locale.ROOT, "    %,d records -> %,d rows, %,d non-null cells, %,.1f MB of cell text; "
          + "generation alone %.2f s%n", n, fe.rows, fe.cells, fe.bytes / 1e6, fe.genNanos / 1e9);
      figures.add(row("(a) flatten+encode, 1 thread", feSec, n / feSec, fe.rows / feSec,
          String.format(Locale.ROOT, "%,d rows, %,d cells", fe.rows, fe.cells)));

      Path workDir = Path.of("target", "bench-work");
      Files.createDirectories(workDir);
      System.out.println("starting s3proxy and embedded PostgreSQL ...");
      try (S3StandIn s3 = new S3StandIn(); PostgresStandIn pg = new PostgresStandIn();
          WarehouseClient warehouse = pg.client()) {
        s3.createBucket(DATA_BUCKET);
        s3.createBucket(CACHE_BUCKET);
        ObjectStore store = s3.store();
        Target target = new Target("bench", "bench");
        Pipeline pipeline = new Pipeline(target, store, warehouse, DATA_BUCKET, new SchemaCache(store, CACHE_BUCKET),
            new SegmentStager.Settings(32, options.partMiB() << 20, workDir), Clock.systemUTC());
        RunId run = new RunId("bench-" + n);
        String pgVersion = pg.rows("SHOW server_version").get(0).values().iterator().next();

        // (b) stage
        System.out.println("(b) stage -> s3proxy ...");
        long[] genNanos = {0};
        long t0 = System.nanoTime();
        Manifest manifest = pipeline.stage(run, Segment.only(), records(n, genNanos), Schema.empty(), SchemaPolicy.WIDEN,
            x -> {}, true).value().orElseThrow();
        long stageNanos = System.nanoTime() - t0;
        long stagedRows = manifest.tables().stream().mapToLong(Manifest.TableManifest::rows).sum();
        long gzBytes = manifest.tables().stream().mapToLong(Manifest.TableManifest::bytes).sum();
        int parts = manifest.tables().stream().mapToInt(t -> t.parts().size()).sum();
        if (manifest.records() != n || stagedRows != fe.rows || manifest.rejected() != 0) {
          throw new IllegalStateException("stage wrote " + manifest.records() + " records / " + stagedRows + " rows / "
              + manifest.rejected() + " rejected; expected " + n + " / " + fe.rows + " / 0");
        }
        double stSec = stageNanos / 1e9;
        double stNetSec = (stageNanos - genNanos[0]) / 1e9;
        figures.add(row("(b) stage -> s3proxy (gz CSV)", stSec, n / stSec, stagedRows / stSec,
            String.format(Locale.ROOT, "%.1f MB gz in %d parts; excl. generation %.2f s = %,.0f rec/s",
                gzBytes / 1e6, parts, stNetSec, n / stNetSec)));

        // (c) prepare + load, and raw COPY of the same files
        System.out.println("(c) prepare ...");
        t0 = System.nanoTime();
        Schema schema = pipeline.prepare(run, 1, Schema.empty(), true).value();
        double prepSec = (System.nanoTime() - t0) / 1e9;
        figures.add(row("(c) prepare (schema + DDL)", prepSec, Double.NaN, Double.NaN,
            schema.tables().size() + " tables"));

        List<RawTable> rawTables = rawTables(manifest, schema);

        // Interleaved so that neither side gets all the warm (or the cold) runs: raw, (load, raw) x rounds.
        List<Long> raws = new ArrayList<>();
        List<Long> loads = new ArrayList<>();
        long csvBytes = 0;
        long loadedRows = 0;
        for (int round = 0; round < options.loadRounds(); round++) {
          if (round == 0) {
            System.out.println("(c) raw COPY baseline ...");
            RawResult raw = rawCopy(pg, store, target.staging(), rawTables);
            raws.add(raw.nanos);
            csvBytes = raw.csvBytes;
          } else {
            pipeline.prepare(run, 1, Schema.empty(), true); // a pristine staging schema for the next load
          }
          System.out.printf(Locale.ROOT, "(c) pipeline load, round %d of %d ...%n", round + 1, options.loadRounds());
          checkpoint(pg);
          t0 = System.nanoTime();
          List<SegmentLoader.TableResult> loaded = pipeline.load(run, 0).value();
          loads.add(System.nanoTime() - t0);
          loadedRows = loaded.stream().mapToLong(SegmentLoader.TableResult::rowsLoaded).sum();
          if (loadedRows != stagedRows || loaded.stream().anyMatch(SegmentLoader.TableResult::skipped)) {
            throw new IllegalStateException("load reported " + loadedRows + " rows (staged " + stagedRows + "): " + loaded);
          }
          System.out.println("(c) raw COPY baseline ...");
          raws.add(rawCopy(pg, store, target.staging(), rawTables).nanos);
          verifyCounts(pg, target.staging(), rawTables);
        }
        if (options.showSchema()) {
          printSchema(pg, target.staging());
        }

        double loadSec = median(loads) / 1e9;
        double loadRate = loadedRows / loadSec;
        double rawSec = median(raws) / 1e9;
        double rawRate = loadedRows / rawSec;
        figures.add(row("(c) load (pipeline, median)", loadSec, n / loadSec, loadRate,
            String.format(Locale.ROOT, "%d tables; runs %s s", rawTables.size(), seconds(loads))));
        figures.add(row("(c) raw COPY (baseline, median)", rawSec, n / rawSec, rawRate,
            String.format(Locale.ROOT, "%.1f MB CSV; runs %s s", csvBytes / 1e6, seconds(raws))));

        System.out.println();
        printTable();
        System.out.printf(Locale.ROOT, "load/raw ratio (rows/s): %.2f  (1.00 = as fast as a bare COPY)%n",
            loadRate / rawRate);
        System.out.println();
        System.out.println("tables:");
        for (RawTable t : rawTables) {
          System.out.printf(Locale.ROOT, "  %-32s %,10d rows  %3d columns  %2d part(s)  %8.2f MB gz%n", t.name,
              t.rows, t.columns.size(), t.parts.size(), t.gzBytes / 1e6);
        }
        System.out.println();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "machine: %d cores (availableProcessors), max heap %d MiB, %s%n",
            rt.availableProcessors(), rt.maxMemory() >> 20, cpuModel());
        System.out.printf(Locale.ROOT, "         Java %s (%s), %s %s %s; PostgreSQL %s (embedded, fsync off)%n",
            System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
            System.getProperty("os.version"), System.getProperty("os.arch"), pgVersion);
        System.out.printf(Locale.ROOT, "         load average (1/5/15 min) at start %s, at end %s"
            + " (other processes on the machine skew the figures)%n", loadBefore, loadAverage());
      } finally {
        deleteTree(workDir);
      }
    }

    // --- (a) ----------------------------------------------------------------------------------

    record FlattenResult(long nanos, long genNanos, long rows, long cells, long bytes) {}

    /** Generation is timed apart (in batches); only flatten + encode count in {@code nanos}. */
    private FlattenResult flattenEncode(int n) {
      Flattener flattener = new Flattener(32);
      CellEncoder encoder = new CellEncoder();
      long[] acc = new long[3]; // rows, cells, bytes
      Consumer<io.observes.pipeline.flatten.FlatRow> sink = row -> {
        acc[0]++;
        for (Cell cell : row.cells()) {
          if (cell.value() == Value.Null.INSTANCE) {
            continue;
          }
          Encoded e = encoder.encode(cell.value());
          if (e.isRejected()) {
            throw new IllegalStateException("generated a rejected value at " + cell.path() + ": " + e.rejection());
          }
          acc[1]++;
          acc[2] += e.utf8().length;
        }
      };
      SourceRecord[] batch = new SourceRecord[BATCH];
      long nanos = 0;
      long gen = 0;
      for (int start = 0; start < n; start += BATCH) {
        int size = Math.min(BATCH, n - start);
        long g = System.nanoTime();
        for (int i = 0; i < size; i++) {
          batch[i] = generator.record(start + i);
        }
        long t = System.nanoTime();
        gen += t - g;
        for (int i = 0; i < size; i++) {
          flattener.flatten(batch[i], sink);
        }
        nanos += System.nanoTime() - t;
      }
      return new FlattenResult(nanos, gen, acc[0], acc[1], acc[2]);
    }

    /** The records, generated lazily (bounded memory, as a source would), generation time added up. */
    private Stream<SourceRecord> records(int n, long[] genNanos) {
      Spliterator<SourceRecord> it = new Spliterators.AbstractSpliterator<>(n, Spliterator.ORDERED | Spliterator.SIZED) {
        private int next;

        @Override
        public boolean tryAdvance(Consumer<? super SourceRecord> action) {
          if (next >= n) {
            return false;
          }
          long t = System.nanoTime();
          SourceRecord r = generator.record(next++);
          genNanos[0] += System.nanoTime() - t;
          action.accept(r);
          return true;
        }
      };
      return StreamSupport.stream(it, false);
    }

    // --- (c) raw COPY baseline ----------------------------------------------------------------

    record RawTable(String name, List<String> columns, List<String> parts, long rows, long gzBytes) {}

    record RawResult(long nanos, long csvBytes) {}

    /** The staged files and column lists, as the loader derives them from the manifest and pinned schema. */
    private List<RawTable> rawTables(Manifest manifest, Schema schema) {
      List<RawTable> tables = new ArrayList<>();
      for (Manifest.TableManifest tm : manifest.tables()) {
        TableSchema ts = schema.table(tm.key()).orElseThrow(() -> new IllegalStateException("no table for " + tm.key()));
        List<String> columns = new ArrayList<>();
        for (Bookkeeping b : ts.bookkeeping()) {
          columns.add(b.column());
        }
        for (SourcePath path : tm.columnPaths()) {
          columns.add(ts.column(path).orElseThrow(() -> new IllegalStateException("no column for " + path)).name());
        }
        tables.add(new RawTable(ts.name(), columns, tm.parts().stream().map(Manifest.PartManifest::uri).toList(),
            tm.rows(), tm.bytes()));
      }
      return tables;
    }

    /** Fresh {@code LIKE} copies of the staging tables, then one transaction of plain COPYs per table. */
    private RawResult rawCopy(PostgresStandIn pg, ObjectStore store, String staging, List<RawTable> tables)
        throws Exception {
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + q(RAW_SCHEMA) + " CASCADE");
        s.execute("CREATE SCHEMA " + q(RAW_SCHEMA));
        for (RawTable t : tables) {
          s.execute("CREATE TABLE " + q(RAW_SCHEMA) + "." + q(t.name) + " (LIKE " + q(staging) + "." + q(t.name) + ")");
        }
      }
      checkpoint(pg);
      long csvBytes = 0;
      long t0 = System.nanoTime();
      try (Connection c = pg.connect()) {
        c.setAutoCommit(false);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (RawTable t : tables) {
          String sql = "COPY " + q(RAW_SCHEMA) + "." + q(t.name) + " ("
              + t.columns.stream().map(PipelineBenchmark::q).collect(Collectors.joining(", "))
              + ") FROM STDIN WITH (FORMAT csv, NULL '\\N')";
          long rows = 0;
          for (String uri : t.parts) {
            try (CountingInputStream in = new CountingInputStream(
                new GZIPInputStream(store.open(S3Uri.parse(uri)), 1 << 16))) {
              rows += copy.copyIn(sql, in, 1 << 16);
              csvBytes += in.count;
            }
          }
          c.commit();
          if (rows != t.rows) {
            throw new IllegalStateException("raw COPY of " + t.name + " read " + rows + " rows, manifest says " + t.rows);
          }
        }
      }
      return new RawResult(System.nanoTime() - t0, csvBytes);
    }

    private void verifyCounts(PostgresStandIn pg, String staging, List<RawTable> tables) throws SQLException {
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        for (RawTable t : tables) {
          long loaded = count(s, staging, t.name);
          long raw = count(s, RAW_SCHEMA, t.name);
          if (loaded != t.rows || raw != t.rows) {
            throw new IllegalStateException(t.name + ": staged " + t.rows + ", loaded " + loaded + ", raw " + raw);
          }
        }
      }
    }

    /** Starts every measured load from the same state: no dirty buffers or pending WAL of the previous one. */
    private static void checkpoint(PostgresStandIn pg) throws SQLException {
      pg.execute("CHECKPOINT");
    }

    private static long median(List<Long> values) {
      List<Long> sorted = values.stream().sorted().toList();
      int m = sorted.size() / 2;
      return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    private static String seconds(List<Long> nanos) {
      return nanos.stream().map(v -> String.format(Locale.ROOT, "%.2f", v / 1e9)).collect(Collectors.joining("/"));
    }

    private static void printSchema(PostgresStandIn pg, String staging) throws SQLException {
      System.out.println("staging schema " + staging + ":");
      for (Map<String, String> r : pg.rows("SELECT table_name, column_name, data_type, character_maximum_length, "
          + "numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = '" + staging
          + "' ORDER BY table_name, ordinal_position")) {
        System.out.println("  " + r.values());
      }
    }

    private static long count(Statement s, String schema, String table) throws SQLException {
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + q(schema) + "." + q(table))) {
        r.next();
        return r.getLong(1);
      }
    }

    // --- output -------------------------------------------------------------------------------

    private static String[] row(String phase, double seconds, double recPerSec, double rowsPerSec, String notes) {
      return new String[] {phase, String.format(Locale.ROOT, "%.2f", seconds), rate(recPerSec), rate(rowsPerSec), notes};
    }

    private static String rate(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private void printTable() {
      String[] head = {"phase", "time s", "records/s", "rows/s", "notes"};
      int[] w = new int[head.length];
      for (int i = 0; i < head.length; i++) {
        w[i] = head[i].length();
        for (String[] f : figures) {
          w[i] = Math.max(w[i], f[i].length());
        }
      }
      String fmt = "%-" + w[0] + "s  %" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s  %s%n";
      System.out.printf(Locale.ROOT, fmt, (Object[]) head);
      System.out.println("-".repeat(w[0] + w[1] + w[2] + w[3] + w[4] + 8));
      for (String[] f : figures) {
        System.out.printf(Locale.ROOT, fmt, (Object[]) f);
      }
    }

    private static String cpuModel() {
      try {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst().orElse("cpu model unknown");
      } catch (IOException | RuntimeException e) {
        return "cpu model unknown";
      }
    }

    private static String loadAverage() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + "/" + f[1] + "/" + f[2];
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }

    private static void deleteTree(Path dir) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort
      }
    }
  }

  static String q(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Deterministic data: record i depends only on (seed, i).

  static final class Generator {
    private static final String[] SEVERITIES = {"critical", "high", "medium", "low", "info"};
    private static final String[] STATUSES = {"open", "triaged", "in_progress", "fixed", "accepted_risk", "false_positive"};
    private static final String[] OS = {"Ubuntu", "Debian", "Amazon Linux", "Windows Server", "Alpine", "RHEL"};
    private static final String[] TEAMS = {"platform", "payments", "data", "identity", "mobile", "équipe-sécurité",
        "インフラ", "growth"};
    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-northeast-1", "sa-east-1"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    private static final String[] TAGS = {"pci", "gdpr", "internet-facing", "prod", "staging", "legacy", "k8s",
        "needs-owner", "sla-breached", "Überprüfung", "重要"};
    private static final String[] WORDS = {
        "buffer", "overflow", "in", "the", "TLS", "handshake", "allows", "remote", "attackers", "to", "execute",
        "arbitrary", "code", "via", "crafted", "header", "SQL", "injection", "parameter", "cross-site", "scripting",
        "deserialization", "of", "untrusted", "data", "path", "traversal", "outdated", "OpenSSL", "library",
        "weak", "cipher", "suite", "exposed", "admin", "panel", "Überlauf", "Schwachstelle", "vulnérabilité",
        "données", "脆弱性", "認証", "バイパス", "уязвимость", "ошибка", "🔥", "⚠️", "✓", "naïve", "café",
        "\"quoted\"", "a,b", "C:\\temp\\x", "line\nbreak", "tab\there", "O'Reilly", "50%", "<script>", "&amp;"};
    private static final ZoneOffset[] OFFSETS = {ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHours(-5),
        ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(9), ZoneOffset.ofHours(-3)};
    private static final DateTimeFormatter WITH_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final DateTimeFormatter NO_FRACTION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final long EPOCH_2022 = Instant.parse("2022-01-01T00:00:00Z").getEpochSecond();
    private static final long TWO_YEARS = 2L * 365 * 24 * 3600;

    private final long seed;

    Generator(long seed) {
      this.seed = seed;
    }

    SourceRecord record(int i) {
      Random r = new Random(seed ^ (i * 0x9E3779B97F4A7C15L));
      String id = String.format(Locale.ROOT, "VULN-%08d", i);
      Map<String, Value> f = new LinkedHashMap<>();
      f.put("id", text(id));
      f.put("title", text(words(r, 3 + r.nextInt(10))));
      f.put("description", r.nextInt(20) == 0 ? Value.Null.INSTANCE : text(words(r, r.nextInt(60))));
      f.put("severity", text(SEVERITIES[r.nextInt(SEVERITIES.length)]));
      f.put("status", text(STATUSES[r.nextInt(STATUSES.length)]));
      f.put("cvss_score", Value.Numeric.of(r.nextInt(100) / 10 + "." + r.nextInt(10)));
      f.put("epss", r.nextInt(10) == 0 ? Value.Null.INSTANCE
          : Value.Numeric.of(String.format(Locale.ROOT, "0.%05d", r.nextInt(100_000))));
      f.put("port", Value.Numeric.of(r.nextInt(65_536)));
      f.put("occurrences", Value.Numeric.of(r.nextInt(5) == 0 ? r.nextInt(1_000_000) : r.nextInt(50)));
      f.put("exploitable", new Value.Bool(r.nextBoolean()));
      f.put("patch_available", r.nextInt(8) == 0 ? Value.Null.INSTANCE : new Value.Bool(r.nextBoolean()));
      long firstSeen = EPOCH_2022 + (long) (r.nextDouble() * TWO_YEARS);
      f.put("first_seen", text(timestamp(r, firstSeen)));
      f.put("last_seen", text(timestamp(r, firstSeen + r.nextInt(90 * 24 * 3600))));
      if (r.nextInt(3) == 0) {
        f.put("fixed_at", text(timestamp(r, firstSeen + r.nextInt(180 * 24 * 3600))));
      } else if (r.nextBoolean()) {
        f.put("fixed_at", Value.Null.INSTANCE);
      }
      f.put("cve", r.nextInt(6) == 0 ? Value.Null.INSTANCE
          : text(String.format(Locale.ROOT, "CVE-%d-%d", 2015 + r.nextInt(10), 1000 + r.nextInt(60_000))));

      Map<String, Value> os = new LinkedHashMap<>();
      os.put("name", text(OS[r.nextInt(OS.length)]));
      os.put("version", text(r.nextInt(30) + "." + r.nextInt(10) + (r.nextBoolean() ? "" : "." + r.nextInt(300))));
      os.put("kernel", r.nextInt(4) == 0 ? Value.Null.INSTANCE : text("5." + r.nextInt(20) + "." + r.nextInt(200) + "-generic"));
      Map<String, Value> owner = new LinkedHashMap<>();
      owner.put("team", text(TEAMS[r.nextInt(TEAMS.length)]));
      owner.put("email", r.nextInt(10) == 0 ? Value.Null.INSTANCE : text("owner" + r.nextInt(500) + "@example.com"));
      owner.put("on_call", new Value.Bool(r.nextBoolean()));
      Map<String, Value> asset = new LinkedHashMap<>();
      asset.put("asset_id", Value.Numeric.of(1_000_000_000_000L + (r.nextLong() & 0xFFFF_FFFFFFL)));
      asset.put("hostname", text("host-" + Integer.toHexString(r.nextInt()) + ".int.example.com"));
      asset.put("ip", text(r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256)));
      asset.put("region", text(REGIONS[r.nextInt(REGIONS.length)]));
      asset.put("os", new Value.Obj(os));
      asset.put("owner", new Value.Obj(owner));
      f.put("asset", new Value.Obj(asset));

      int findings = r.nextInt(6);
      List<Value> list = new ArrayList<>(findings);
      for (int k = 0; k < findings; k++) {
        Map<String, Value> evidence = new LinkedHashMap<>();
        evidence.put("url", text("https://app" + r.nextInt(40) + ".example.com/" + words(r, 1 + r.nextInt(3))
            .replace(' ', '/') + "?id=" + r.nextInt(100_000)));
        evidence.put("method", text(METHODS[r.nextInt(METHODS.length)]));
        evidence.put("status_code", Value.Numeric.of(200 + 100 * r.nextInt(4) + r.nextInt(5)));
        if (r.nextBoolean()) {
          evidence.put("snippet", text(words(r, 2 + r.nextInt(25))));
        }
        if (r.nextInt(4) == 0) {
          evidence.put("response_ms", Value.Numeric.of(r.nextInt(5000) + "." + r.nextInt(1000)));
        }
        Map<String, Value> finding = new LinkedHashMap<>();
        finding.put("rule_id", text("R" + (1000 + r.nextInt(400))));
        finding.put("title", text(words(r, 2 + r.nextInt(6))));
        finding.put("line", r.nextInt(7) == 0 ? Value.Null.INSTANCE : Value.Numeric.of(1 + r.nextInt(20_000)));
        finding.put("confidence", Value.Numeric.of("0." + (10 + r.nextInt(90))));
        finding.put("verified", new Value.Bool(r.nextInt(3) == 0));
        finding.put("detected_at", text(timestamp(r, firstSeen + r.nextInt(30 * 24 * 3600))));
        finding.put("evidence", new Value.Obj(evidence));
        list.add(new Value.Obj(finding));
      }
      f.put("findings", Value.Array.list(list));

      int tags = r.nextInt(5);
      List<Value> tagList = new ArrayList<>(tags);
      for (int k = 0; k < tags; k++) {
        tagList.add(text(TAGS[r.nextInt(TAGS.length)]));
      }
      f.put("tags", Value.Array.list(tagList));
      if (r.nextInt(500) == 0) {
        f.put("note", text("\\N")); // the NULL marker's text: must stay text
      }
      return new SourceRecord(STREAM, List.of(id), new Value.Obj(f));
    }

    private static String timestamp(Random r, long epochSecond) {
      OffsetDateTime t = Instant.ofEpochSecond(epochSecond, r.nextInt(1000) * 1_000_000L)
          .atOffset(OFFSETS[r.nextInt(OFFSETS.length)]);
      return (r.nextBoolean() ? WITH_MILLIS : NO_FRACTION).format(t);
    }

    private static String words(Random r, int count) {
      StringBuilder b = new StringBuilder(count * 8);
      for (int k = 0; k < count; k++) {
        if (k > 0) {
          b.append(' ');
        }
        b.append(WORDS[r.nextInt(WORDS.length)]);
      }
      return b.toString();
    }

    private static Value text(String s) {
      return new Value.Text(s);
    }
  }
}
