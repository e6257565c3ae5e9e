package io.observes.bench;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.cli.Main;
import io.observes.config.Environment;
import io.observes.demo.DemoChanges;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import io.observes.etl.dynamo.TableRouting;
import io.observes.http.RetrySettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The dynamo ETL's full refresh read from a DynamoDB export against the same refresh read by a
 * parallel Scan, and an incremental run of 1% changes against that full refresh, on the demo stack
 * (DynamoDB Local behind the export stand-in, s3proxy, embedded PostgreSQL), through the very
 * commands ({@code phase1 --source scan|export} per segment on threads, {@code phase2..4},
 * {@code export}, {@code incremental}). Bytes read: a Scan's answers as DynamoDB Local sends them
 * (counted by the stand-in, which every call of this benchmark goes through), an export's gzip data
 * files as they lie in S3. Ratios are against the scan (a) and the export's full refresh (b) of the
 * same run.
 *
 * <p>Run: {@code bench/dynamo-export.sh [--items 100000] [--segments 4] [--seed 7]}. Not part of {@code mvn verify}.
 */
public final class ExportBenchmark {
  private static final String TABLE = "integrates_vms";

  record Timed(String step, double seconds) {}

  private final Environment env;
  private final Environment direct;

  /** {@code env}: DynamoDB behind the export stand-in; {@code direct}: DynamoDB Local itself. */
  private ExportBenchmark(Environment env, Environment direct) {
    this.env = env;
    this.direct = direct;
  }

  public static void main(String[] args) throws Exception {
    int items = 100_000;
    int segments = 4;
    long seed = 7;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[++i]);
        case "--segments" -> segments = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --items N --segments N --seed S");
      }
    }
    try (DemoStack stack = DemoStack.start()) {
      ExportStandIn exports = stack.exports();
      exports.describesUntilDone(1);
      exports.dataFiles(4 * segments);
      Map<String, String> variables = new HashMap<>(stack.environment(TABLE));
      Environment directEnv = new Environment(new HashMap<>(variables));
      AwsSettings direct = AwsSettings.from(directEnv);
      variables.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
      ExportBenchmark bench = new ExportBenchmark(new Environment(variables), directEnv);
      try (DynamoDbClient dynamo = AwsClients.dynamo(direct); S3Client s3 = AwsClients.s3(direct)) {
        for (String bucket : new String[] {DemoStack.DATA_BUCKET, DemoStack.CACHE_BUCKET, DemoStack.STATE_BUCKET}) {
          s3.createBucket(b -> b.bucket(bucket));
        }
        DemoData.createTable(dynamo, TABLE);
        long start = System.nanoTime();
        new DemoData(seed).seed(dynamo, TABLE, items, n -> { });
        System.out.printf(Locale.ROOT, "Seeded %,d items in %.1f s%n", items, (System.nanoTime() - start) / 1e9);

        // (a) the same table, read by a parallel Scan and from an export taken an hour back (the stand-in's snapshot is now).
        Instant snapshot = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        // The scan's bytes are counted by the stand-in it goes through; the same scan straight at DynamoDB Local
        // tells what that extra hop costs (it runs first, so it also warms the JVM up for the compared runs).
        List<Timed> scanDirect = bench.refresh("scan", "bench_direct", segments, List.of(), bench.direct);
        long scanBytes = exports.forwardedBytes("Scan");
        List<Timed> scan = bench.refresh("scan", "bench_scan", segments, List.of(), bench.env);
        scanBytes = exports.forwardedBytes("Scan") - scanBytes;
        List<Timed> export = bench.refresh("export", "dynamodb", segments,
            List.of("--export-time", snapshot.toString()), bench.env);
        long[] exportBytes = bytes(s3, "dynamodb/exports/AWSDynamoDB/", "/data/", "AWSDynamoDB/data/");

        // (b) 1% changes, dated half an hour back, applied by one incremental run.
        TableRouting routing = io.observes.cli.TestAccess.bundledRouting();
        exports.enableStream(TABLE);
        List<DemoChanges.Change> changes = new DemoChanges(seed, items, item -> routing.tableOf(item, "pk", "sk"))
            .apply(dynamo, TABLE, items / 100, seed + 1);
        exports.captureChanges(TABLE, snapshot.plus(Duration.ofMinutes(30)));
        long t = System.nanoTime();
        cli(bench.env, "incremental", "--poll-seconds", "1");
        double incremental = (System.nanoTime() - t) / 1e9;
        long[] incrementalBytes = bytes(s3, "dynamodb/exports/AWSDynamoDB/data/", "", null);

        print(items, segments, scan, scanBytes, export, exportBytes, changes.size(), incremental, incrementalBytes);
        System.out.printf(Locale.ROOT, "the scan straight at DynamoDB Local (no stand-in hop; the first run, JVM cold): phase1 %.1f s, total %.1f s "
            + "(through the stand-in: %.1f s, %.1f s)%n", sum(scanDirect, "phase1"), sum(scanDirect), sum(scan, "phase1"),
            sum(scan));
      }
    }
  }

  /** A full refresh of {@code items} into {@code schema}: (export,) phase1 per segment on threads, phase2-4. */
  private List<Timed> refresh(String source, String schema, int segments, List<String> exportArgs, Environment on)
      throws Exception {
    String run = "bench-" + schema.replace('_', '-');
    List<Timed> steps = new ArrayList<>();
    if (source.equals("export")) {
      List<String> args = new ArrayList<>(List.of("export", "--poll-seconds", "1", "--run-id", run, "--target-schema", schema));
      args.addAll(exportArgs);
      steps.add(timed("export", () -> cli(on, args.toArray(String[]::new))));
    }
    steps.add(timed("phase1", () -> {
      ExecutorService threads = Executors.newFixedThreadPool(segments);
      try {
        List<Future<String>> done = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
          String segment = Integer.toString(s);
          done.add(threads.submit(() -> cli(on, "phase1", "--source", source, "--segment", segment, "--total-segments",
              Integer.toString(segments), "--run-id", run, "--target-schema", schema)));
        }
        for (Future<String> f : done) {
          f.get();
        }
      } finally {
        threads.shutdownNow();
      }
      return "";
    }));
    for (String phase : List.of("phase2", "phase3", "phase4")) {
      steps.add(timed(phase, () -> cli(on, phase, "--run-id", run, "--target-schema", schema)));
    }
    return steps;
  }

  private interface Step {
    String run() throws Exception;
  }

  private static Timed timed(String name, Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    return new Timed(name, (System.nanoTime() - start) / 1e9);
  }

  /** {@code observes etl dynamo <args>} in this process, real clock; its output, or a failure with it. */
  private static String cli(Environment on, String... args) {
    var cli = Main.commandLine(on, Clock.systemUTC(), RetrySettings.DEFAULT);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> argv = new ArrayList<>(List.of("etl", "dynamo"));
    argv.addAll(List.of(args));
    int code = cli.execute(argv.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed (" + code + "): " + err + out);
    }
    return out.toString();
  }

  /**
   * Bytes of the data bucket's gzip data files under {@code prefix} whose key holds {@code part} and not
   * {@code not}: as stored (what phase1 reads) and unzipped (the DynamoDB JSON lines).
   */
  private static long[] bytes(S3Client s3, String prefix, String part, String not) throws java.io.IOException {
    long[] bytes = new long[2];
    for (var o : s3.listObjectsV2Paginator(b -> b.bucket(DemoStack.DATA_BUCKET).prefix(prefix)).contents()) {
      if (!o.key().endsWith(".json.gz") || !o.key().contains(part) || not != null && o.key().contains(not)) {
        continue;
      }
      bytes[0] += o.size();
      if (o.size() > 0) {
        try (var in = new java.util.zip.GZIPInputStream(s3.getObject(b -> b.bucket(DemoStack.DATA_BUCKET).key(o.key())))) {
          bytes[1] += in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
    }
    return bytes;
  }

  private static double sum(List<Timed> steps, String... only) {
    List<String> names = List.of(only);
    return steps.stream().filter(s -> names.isEmpty() || names.contains(s.step())).mapToDouble(Timed::seconds).sum();
  }

  private static void print(int items, int segments, List<Timed> scan, long scanBytes, List<Timed> export, long[] exportBytes,
      int changes, double incremental, long[] incrementalBytes) {
    Map<String, List<Timed>> refreshes = new LinkedHashMap<>();
    refreshes.put("scan", scan);
    refreshes.put("export", export);
    System.out.printf(Locale.ROOT, "%n(a) full refresh of %,d items, %d segments%n%-8s %8s %8s %8s %8s %8s %9s %12s %14s %12s%n",
        items, segments, "source", "export", "phase1", "phase2", "phase3", "phase4", "total s", "phase1 it/s",
        "bytes read", "bytes/item");
    refreshes.forEach((name, steps) -> {
      Map<String, Double> by = new HashMap<>();
      steps.forEach(s -> by.put(s.step(), s.seconds()));
      long bytes = name.equals("scan") ? scanBytes : exportBytes[0];
      System.out.printf(Locale.ROOT, "%-8s %8s %8.1f %8.1f %8.1f %8.1f %9.1f %,12.0f %,14d %12.0f%n", name,
          by.containsKey("export") ? String.format(Locale.ROOT, "%.1f", by.get("export")) : "-", by.get("phase1"),
          by.get("phase2"), by.get("phase3"), by.get("phase4"), sum(steps), items / by.get("phase1"), bytes,
          (double) bytes / items);
    });
    System.out.printf(Locale.ROOT, "(scan: Scan answers as sent, uncompressed JSON; export: gzip data files, %,d bytes "
        + "unzipped)%nexport / scan: phase1 items/s x%.2f, total time x%.2f, bytes read x%.3f (unzipped x%.3f)%n",
        exportBytes[1], sum(scan, "phase1") / sum(export, "phase1"), sum(export) / sum(scan),
        (double) exportBytes[0] / scanBytes, (double) exportBytes[1] / scanBytes);
    System.out.printf(Locale.ROOT, "%n(b) incremental run of %,d changes (1%%) vs the full refresh from the export%n"
        + "%-12s %9s %14s %14s%n%-12s %9.1f %,14d %,14d%n%-12s %9.1f %,14d %,14d%n", changes, "run", "seconds",
        "bytes read", "unzipped", "full", sum(export), exportBytes[0], exportBytes[1], "incremental", incremental,
        incrementalBytes[0], incrementalBytes[1]);
    System.out.printf(Locale.ROOT, "incremental / full: time x%.3f, bytes x%.4f%n", incremental / sum(export),
        (double) incrementalBytes[0] / exportBytes[0]);
  }
}
