package io.observes.bench;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.PipelineSettings;
import io.observes.pipeline.Prefetch;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.Streams;
import io.observes.pipeline.Target;
import io.observes.pipeline.encode.CellEncoder;
import io.observes.pipeline.encode.Encoded;
import io.observes.pipeline.flatten.Cell;
import io.observes.pipeline.flatten.Flattener;
import io.observes.pipeline.load.PublishedProfiles;
import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.pipeline.value.Value;
import io.observes.storage.ObjectStore;
import io.observes.testing.PostgresStandIn;
import io.observes.testing.S3StandIn;
import io.observes.warehouse.Compression;
import io.observes.warehouse.Dialect;
import io.observes.warehouse.TableProfile;
import io.observes.warehouse.WarehouseClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Throughput of the generic pipeline on one JSON-lines file, every step measured in the same run so
 * that the figures are ratios on the same machine, one thread:
 *
 * <ol>
 *   <li>(a) parse + flatten + encode alone (the baseline), after a warm-up pass, best of {@code --rounds}
 *       taken in turn with (b);
 *   <li>(b) stage without upload: parse, flatten, encode, statistics, CSV, zstd into local parts, as
 *       the stage phase runs them (the source read ahead on a thread, compression on another);
 *   <li>(p) the peer: DuckDB's read_json of the same file into plain CSV, one thread ({@link DuckDbPeer}),
 *       when Python has DuckDB;
 *   <li>(c) stage into s3proxy, in {@code --segments} segments (records dealt round-robin);
 *   <li>(d) prepare, and load into embedded PostgreSQL against a raw {@code COPY} of the same files;
 *       the COPY statements of the load against one per table and segment (the former design);
 *   <li>(e) the profile a publish takes of the loaded tables, as a share of (d): rows and NULLs from the
 *       staged counts with only keys and orphans read, against a full scan of every table (before), each
 *       twice in turn, after the row counts the publish takes first; both must give the same profile.
 * </ol>
 *
 * Input: {@code --input FILE.jsonl}, or {@code --records N} generated records (written as JSON lines
 * first). A plain program, not a test: {@code bench/run.sh --help}.
 */
public final class PipelineBenchmark {
  private static final String DATA_BUCKET = "observes-data";
  private static final String CACHE_BUCKET = "observes-cache";

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (options == null) {
      return;
    }
    int status = 0;
    try {
      new PipelineBenchmark().run(options);
    } catch (Throwable t) {
      t.printStackTrace();
      status = 1;
    }
    // s3proxy / Jetty and the pools may leave non-daemon threads behind.
    System.exit(status);
  }

  record Options(Path input, String stream, int records, long seed, int segments, long partMiB, int loadRounds,
      int rounds, boolean coldCache) {
    static Options parse(String[] args) {
      Path input = null;
      String stream = "records";
      int records = 200_000;
      long seed = 20240601L;
      int segments = 1;
      long partMiB = 64;
      int loadRounds = 2;
      int rounds = 3;
      boolean cold = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--input" -> input = Path.of(value(args, ++i, a));
          case "--stream" -> stream = value(args, ++i, a);
          case "--records" -> records = Integer.parseInt(value(args, ++i, a).replace("_", ""));
          case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
          case "--segments" -> segments = Integer.parseInt(value(args, ++i, a));
          case "--part-mib" -> partMiB = Long.parseLong(value(args, ++i, a));
          case "--load-rounds" -> loadRounds = Integer.parseInt(value(args, ++i, a));
          case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
          case "--cold-cache" -> cold = true;
          case "-h", "--help" -> {
            System.out.println("""
                usage: bench/run.sh [--input FILE.jsonl [--stream NAME]] [--records N (200000) --seed S]
                                    [--segments N (1)] [--part-mib MiB (64)] [--load-rounds R (2)] [--rounds R (3)]
                                    [--cold-cache]
                  --input       one JSON object per line (nested objects and lists); default: N generated records
                  --rounds      (a) and (b) measured in turn R times, each its best
                  --segments    stage (c) in N segments, records dealt round-robin, to count the load's COPYs
                  --cold-cache  stage (c) with nothing cached (a first run); by default a previous run cached the schema""");
            return null;
          }
          default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
        }
      }
      if (records < 1 || loadRounds < 1 || segments < 1 || rounds < 1) {
        throw new IllegalArgumentException("--records, --segments, --rounds and --load-rounds must be at least 1");
      }
      return new Options(input, stream, records, seed, segments, partMiB, loadRounds, rounds, cold);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  private final BenchTable figures = new BenchTable();

  void run(Options options) throws Exception {
    Path workDir = Path.of("target", "bench-work");
    Files.createDirectories(workDir);
    JsonlInput input = options.input() != null ? new JsonlInput(options.input(), options.stream())
        : JsonlInput.generated(Path.of("target", "bench-input-" + options.records() + "-" + options.seed() + ".jsonl"),
            options.records(), options.seed());
    double mb = input.bytes() / 1e6;
    System.out.printf(Locale.ROOT, "Observes pipeline benchmark: %s (%.1f MB)%n", input.file(), mb);
    String loadBefore = Machine.loadAverage();

    System.out.println("(a) parse + flatten + encode, (b) stage without upload: warm-up passes ...");
    Encoding warm = encode(input);
    // As the stage phase runs: the source read ahead on its own thread (Pipeline.stage), the rest here.
    SegmentStager.Settings settings = new SegmentStager.Settings(32, options.partMiB() << 20, workDir);
    // The same step as staged before zstd (gzip level 1): the change measured in the same run.
    SegmentStager.Settings gzip = new SegmentStager.Settings(32, options.partMiB() << 20, workDir, Compression.GZIP, 1);
    stageLocally(input, settings, new DiscardingStore());
    // (a), (b) and (b) with gzip taken in turn, each its best of --rounds: on a shared machine the
    // other processes take the one core unevenly, and the least disturbed pass is the truest.
    // CPU time of the process too: what the step costs whatever share of the core it was given.
    Encoding a = null;
    long stageNanos = Long.MAX_VALUE;
    long gzipNanos = Long.MAX_VALUE;
    long[] cpu = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE}; // (a), (b), (b) gzip
    DiscardingStore discard = null;
    DiscardingStore gzipped = null;
    Manifest local = null;
    for (int round = 1; round <= options.rounds(); round++) {
      System.out.printf(Locale.ROOT, "(a), (b), (b) with gzip: measured round %d of %d ...%n", round, options.rounds());
      long c0 = Machine.cpuNanos();
      Encoding pass = encode(input);
      cpu[0] = Math.min(cpu[0], Machine.cpuNanos() - c0);
      if (pass.rows() != warm.rows() || pass.bytes() != warm.bytes()) {
        throw new IllegalStateException("two passes over the same input differ: " + warm + " vs " + pass);
      }
      a = a == null || pass.nanos() < a.nanos() ? pass : a;
      discard = new DiscardingStore();
      long t0 = System.nanoTime();
      c0 = Machine.cpuNanos();
      local = stageLocally(input, settings, discard);
      stageNanos = Math.min(stageNanos, System.nanoTime() - t0);
      cpu[1] = Math.min(cpu[1], Machine.cpuNanos() - c0);
      gzipped = new DiscardingStore();
      t0 = System.nanoTime();
      c0 = Machine.cpuNanos();
      stageLocally(input, gzip, gzipped);
      gzipNanos = Math.min(gzipNanos, System.nanoTime() - t0);
      cpu[2] = Math.min(cpu[2], Machine.cpuNanos() - c0);
    }
    figures.add("(a) parse+flatten+encode", a.nanos(), mb, a.records(), a.rows(),
        String.format(Locale.ROOT, "%,d rows, %,d cells, %.1f MB of cell text", a.rows(), a.cells(), a.bytes() / 1e6));
    long stagedRows = local.tables().stream().mapToLong(Manifest.TableManifest::rows).sum();
    if (local.records() != a.records() || stagedRows != a.rows()) {
      throw new IllegalStateException("stage wrote " + local.records() + " records / " + stagedRows + " rows; encode saw "
          + a.records() + " / " + a.rows());
    }
    figures.add("(b) stage, upload excluded", stageNanos, mb, a.records(), stagedRows,
        String.format(Locale.ROOT, "%.1f MB %s; %.2fx the time of (a); read ahead %d KiB at most", discard.bytes / 1e6,
            settings.compression().suffix(), (double) stageNanos / a.nanos(), readAhead[0]));
    figures.add("(b) the same, gzip 1 (before)", gzipNanos, mb, a.records(), stagedRows,
        String.format(Locale.ROOT, "%.1f MB .csv.gz; %.2fx the time of (a)", gzipped.bytes / 1e6,
            (double) gzipNanos / a.nanos()));

    System.out.println("(p) DuckDB read_json -> CSV, one thread (a warm-up pass, then the best of --rounds) ...");
    DuckDbPeer.Result duck = DuckDbPeer.measure(input.file(), Path.of("target", "duckdb-out"), options.rounds());
    duck.addTo(figures, mb, a.records());

    System.out.println("starting s3proxy and embedded PostgreSQL ...");
    try (S3StandIn s3 = new S3StandIn(); PostgresStandIn pg = new PostgresStandIn(); WarehouseClient warehouse = pg.client()) {
      s3.createBucket(DATA_BUCKET);
      s3.createBucket(CACHE_BUCKET);
      ObjectStore store = s3.store();
      Pipeline pipeline = new Pipeline(new Target("bench", "bench"), Streams.undeclared(), store, warehouse,
          PipelineSettings.local(DATA_BUCKET, new SchemaCache(store, CACHE_BUCKET), settings, Clock.systemUTC()));
      Schema base = Schema.empty();
      if (!options.coldCache()) {
        System.out.println("(c) a previous run caches the schema ...");
        try (Stream<SourceRecord> records = input.records(new AtomicLong())) {
          pipeline.run(new RunId("previous"), records, n -> {});
        }
        base = pipeline.baseSchema();
      }
      RunId run = new RunId("bench-" + options.segments());
      int total = options.segments();
      System.out.printf(Locale.ROOT, "(c) stage -> s3proxy in %d segment(s) ...%n", total);
      if (total > 1) {
        input.split(total, Path.of("target", input.file().getFileName() + "-" + total + "-segments"));
      }
      long t0 = System.nanoTime();
      List<JsonlInput> parts = total == 1 ? List.of(input)
          : input.split(total, Path.of("target", input.file().getFileName() + "-" + total + "-segments"));
      List<Manifest> manifests = new ArrayList<>();
      for (int s = 0; s < total; s++) {
        try (Stream<SourceRecord> records = parts.get(s).records(new AtomicLong())) {
          manifests.add(pipeline.stage(run, new Segment(s, total), records, base, n -> {}, true)
              .value().orElseThrow());
        }
      }
      long s3Nanos = System.nanoTime() - t0;
      long staged = manifests.stream().flatMap(m -> m.tables().stream()).mapToLong(Manifest.TableManifest::bytes).sum();
      figures.add("(c) stage -> s3proxy", s3Nanos, mb, a.records(), stagedRows,
          String.format(Locale.ROOT, "%d segment(s), %.1f MB %s", total, staged / 1e6, settings.compression().suffix()));

      System.out.println("(d) prepare ...");
      t0 = System.nanoTime();
      Schema schema = pipeline.prepare(run, total, base, true).value();
      figures.add("(d) prepare (schema + DDL)", System.nanoTime() - t0, Double.NaN, Double.NaN, Double.NaN,
          schema.tables().size() + " tables");

      RawCopy raw = new RawCopy(pg, store);
      List<RawCopy.Table> tables = RawCopy.tables(manifests, schema);
      List<Long> loads = new ArrayList<>();
      List<Long> raws = new ArrayList<>();
      long loadedRows = 0;
      int copies = 0;
      for (int round = 0; round < options.loadRounds(); round++) {
        if (round == 0) {
          System.out.println("(d) raw COPY baseline ...");
          raws.add(raw.copy(pipeline.target().staging(), tables));
        } else {
          pipeline.prepare(run, total, base, true); // a pristine staging schema for the next load
        }
        System.out.printf(Locale.ROOT, "(d) pipeline load, round %d of %d ...%n", round + 1, options.loadRounds());
        raw.checkpoint();
        t0 = System.nanoTime();
        List<TableLoader.TableResult> loaded = pipeline.load(run, total, Optional.empty()).value();
        loads.add(System.nanoTime() - t0);
        loadedRows = loaded.stream().mapToLong(TableLoader.TableResult::rowsLoaded).sum();
        copies = loaded.stream().mapToInt(TableLoader.TableResult::copies).sum();
        if (loadedRows != stagedRows || loaded.stream().anyMatch(TableLoader.TableResult::skipped)) {
          throw new IllegalStateException("load reported " + loadedRows + " rows (staged " + stagedRows + "): " + loaded);
        }
        System.out.println("(d) raw COPY baseline ...");
        raws.add(raw.copy(pipeline.target().staging(), tables));
        raw.verify(pipeline.target().staging(), tables);
      }
      long loadNanos = BenchTable.median(loads);
      long rawNanos = BenchTable.median(raws);
      int before = manifests.stream().mapToInt(m -> m.tables().size()).sum();
      figures.add("(d) load (pipeline, median)", loadNanos, Double.NaN, a.records(), loadedRows,
          String.format(Locale.ROOT, "%d tables, %d COPY statements in %d transactions (one per table and segment: %d)",
              schema.tables().size(), copies, tables.stream().map(RawCopy.Table::name).distinct().count(), before));
      figures.add("(d) raw COPY (baseline, median)", rawNanos, Double.NaN, a.records(), loadedRows,
          String.format(Locale.ROOT, "the same files, %d plain COPYs", tables.size()));

      System.out.println("(e) profile the loaded tables, as after a publish ...");
      String staging = pipeline.target().staging();
      // The publish counts every staging table's rows and analyzes them before it swaps (Publisher.verify and publish):
      // that, not the profile, is the first read after the COPY (the one that also sets PostgreSQL's hint bits, a cost
      // Redshift does not have), and the planner then knows the tables' sizes.
      t0 = System.nanoTime();
      schema.tables().forEach(t -> warehouse.countRows(staging, t.name()));
      warehouse.analyze(staging, schema.tables().stream().map(t -> t.name()).toList());
      long counted = System.nanoTime() - t0;
      figures.add("(e) the publish's row counts and ANALYZE", counted, Double.NaN, a.records(), loadedRows,
          String.format(Locale.ROOT, "%.1f%% of the load (d); part of the publish, not the profile", 100.0 * counted / loadNanos));
      var fromStaged = PublishedProfiles.requests(schema, PublishedProfiles.staged(run, schema, manifests));
      var scanning = PublishedProfiles.requests(schema);
      // Twice each, in turn: the shared machine moves single figures by a fifth.
      for (int round = 1; round <= 2; round++) {
        t0 = System.nanoTime();
        List<TableProfile> narrow = warehouse.profile(staging, fromStaged);
        long stagedNanos = System.nanoTime() - t0;
        t0 = System.nanoTime();
        List<TableProfile> scanned = warehouse.profile(staging, scanning);
        long scanNanos = System.nanoTime() - t0;
        requireSameCounts(narrow, scanned);
        figures.add("(e) profile, staged counts + key/orphan reads, " + round, stagedNanos, Double.NaN, a.records(), loadedRows,
            String.format(Locale.ROOT, "%d tables (%d from staged counts); %.1f%% of the load (d)", narrow.size(),
                narrow.stream().filter(p -> p.countsFrom() == TableProfile.CountsFrom.STAGED).count(),
                100.0 * stagedNanos / loadNanos));
        figures.add("(e) profile, full scan per table (before), " + round, scanNanos, Double.NaN, a.records(), loadedRows,
            String.format(Locale.ROOT, "%.1f%% of the load (d)", 100.0 * scanNanos / loadNanos));
      }

      if (Boolean.getBoolean("bench.trials")) {
        ProfileSqlTrials.run(pg, staging, schema, loadNanos);
      }

      System.out.println();
      figures.print();
      System.out.printf(Locale.ROOT, "stage/encode time ratio: %.2f (b, upload excluded), %.2f (c, with upload)%n",
          (double) stageNanos / a.nanos(), (double) s3Nanos / a.nanos());
      System.out.printf(Locale.ROOT, "load/raw COPY time ratio: %.2f  (1.00 = as fast as bare COPYs)%n",
          (double) loadNanos / rawNanos);
      System.out.printf(Locale.ROOT, "by CPU time of the process (best of %d): (a) %.2f s, (b) %.2f s = %.2fx (a), "
          + "(b) with gzip 1 %.2f s = %.2fx (a)%n", options.rounds(), cpu[0] / 1e9, cpu[1] / 1e9, (double) cpu[1] / cpu[0],
          cpu[2] / 1e9, (double) cpu[2] / cpu[0]);
      System.out.println(duck.comparedWith(stageNanos, cpu[1], mb));
      System.out.println();
      Machine.print(pg, loadBefore);
    } finally {
      deleteTree(workDir);
    }
  }

  /** The profile from staged counts must be the scan's, table by table and column by column, or its figure means nothing. */
  private static void requireSameCounts(List<TableProfile> staged, List<TableProfile> scanned) {
    for (int i = 0; i < scanned.size(); i++) {
      TableProfile a = staged.get(i);
      TableProfile b = scanned.get(i);
      if (a.rows() != b.rows() || !java.util.Objects.equals(a.keyDistinct(), b.keyDistinct())
          || !java.util.Objects.equals(a.orphans(), b.orphans()) || !a.columns().equals(b.columns())) {
        throw new IllegalStateException("the profile from staged counts differs from the scan: " + a + " vs " + b);
      }
    }
    if (staged.size() != scanned.size()) {
      throw new IllegalStateException("profiled " + staged.size() + " tables from staged counts, " + scanned.size() + " scanned");
    }
  }

  /** The widest read-ahead of the passes of (b), KiB: it widens only for a source that makes the stage step wait. */
  private final int[] readAhead = {0};

  private Manifest stageLocally(JsonlInput input, SegmentStager.Settings settings, DiscardingStore store) {
    try (Stream<SourceRecord> records = Prefetch.of(input.records(new AtomicLong()), Pipeline.PREFETCH_BYTES, "fetch",
        window -> readAhead[0] = Math.max(readAhead[0], window))) {
      return new SegmentStager(store, new StageLayout("bench", "bench"), settings, Dialect.POSTGRESQL, Clock.systemUTC())
          .stage(new RunId("local"), "bench", Segment.only(), records, Schema.empty(), n -> {});
    }
  }

  /** What encoding the input produced, and how long flatten + encode took (parse included). */
  record Encoding(long nanos, long records, long rows, long cells, long bytes) {}

  private Encoding encode(JsonlInput input) {
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
        if (!e.isRejected()) {
          acc[1]++;
          acc[2] += e.utf8().length;
        }
      }
    };
    AtomicLong records = new AtomicLong();
    long t0 = System.nanoTime();
    try (Stream<SourceRecord> all = input.records(records)) {
      all.forEach(r -> flattener.flatten(r, sink));
    }
    return new Encoding(System.nanoTime() - t0, records.get(), acc[0], acc[1], acc[2]);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  static String q(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String joinQuoted(List<String> names) {
    return names.stream().map(PipelineBenchmark::q).collect(Collectors.joining(", "));
  }
}
