package io.observes.bench;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Phase 1 of the dynamo ETL over a large generated table, in a child JVM limited to {@code -Xmx256m}:
 * does it finish, how fast, and how much heap does it use at most (from the GC log). The baseline in
 * the same run is the same phase over a table a tenth the size: with bounded memory the peaks match.
 *
 * <p>Run: {@code bench/dynamo-memory.sh [--items 500000] [--heap 256m]}. Not part of {@code mvn verify}.
 */
public final class DynamoMemoryBenchmark {
  private static final Pattern HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  record Result(int items, int exit, double seconds, long peakMib, long afterGcMaxMib, long heapMib, int gcs) {}

  public static void main(String[] args) throws Exception {
    int items = 500_000;
    String heap = "256m";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[++i]);
        case "--heap" -> heap = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --items N --heap 256m");
      }
    }
    Path work = Files.createTempDirectory("observes-membench");
    try (DemoStack stack = DemoStack.start()) {
      Map<String, String> env = new HashMap<>(stack.environment("large"));
      AwsSettings aws = AwsSettings.from(new Environment(env));
      try (S3Client s3 = AwsClients.s3(aws)) {
        s3.createBucket(b -> b.bucket(DemoStack.DATA_BUCKET));
        s3.createBucket(b -> b.bucket(DemoStack.CACHE_BUCKET));
      }
      Result baseline = measure(stack, aws, env, "small", items / 10, heap, work);
      Result large = measure(stack, aws, env, "large", items, heap, work);
      System.out.printf(Locale.ROOT, "%n%-8s %10s %5s %9s %11s %15s %10s %5s%n", "table", "items", "exit", "seconds",
          "items/s", "peak heap MiB", "after GC", "GCs");
      for (Result r : List.of(baseline, large)) {
        System.out.printf(Locale.ROOT, "%-8s %,10d %5d %9.1f %,11.0f %11d/%-4d %10d %5d%n", r == baseline ? "baseline" : "large",
            r.items(), r.exit(), r.seconds(), r.items() / r.seconds(), r.peakMib(), r.heapMib(), r.afterGcMaxMib(), r.gcs());
      }
      System.out.printf(Locale.ROOT, "peak heap large/baseline: %.2f for %dx the items (-Xmx%s, %d cores)%n",
          (double) large.peakMib() / Math.max(1, baseline.peakMib()), large.items() / Math.max(1, baseline.items()), heap,
          Runtime.getRuntime().availableProcessors());
      if (large.exit() != 0 || baseline.exit() != 0) {
        System.exit(1);
      }
    }
  }

  private static Result measure(DemoStack stack, AwsSettings aws, Map<String, String> base, String table, int items, String heap,
      Path work) throws Exception {
    try (DynamoDbClient dynamo = AwsClients.dynamo(aws)) {
      DemoData.createTable(dynamo, table);
      System.out.printf("seeding %,d items into %s...%n", items, table);
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> seeding = new ArrayList<>();
      int chunk = (items + threads - 1) / threads;
      for (int t = 0; t < threads; t++) {
        int from = t * chunk;
        int count = Math.min(chunk, items - from);
        seeding.add(pool.submit(() -> new DemoData(17 + from).seed(dynamo, table, from, count, n -> {})));
      }
      for (Future<?> f : seeding) {
        f.get();
      }
      pool.shutdown();
    }
    Map<String, String> env = new HashMap<>(base);
    env.put("OBSERVES_DYNAMO_TABLE", table);
    env.put("OBSERVES_WORK_DIR", work.toString());
    env.put("OBSERVES_LOG_LEVEL", "WARN");
    Path gcLog = work.resolve(table + "-gc.log");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"), "io.observes.cli.Main",
        "etl", "dynamo", "phase1", "--segment", "0", "--total-segments", "1", "--run-id", "membench-" + table);
    // Not in the repository, whose secrets.enc.yaml is for the tests' age key.
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
        .directory(new java.io.File(System.getProperty("java.io.tmpdir")));
    builder.environment().putAll(env);
    System.out.printf("phase1 of %s in a JVM with -Xmx%s...%n", table, heap);
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = 0;
    long afterMax = 0;
    long size = 0;
    int gcs = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = HEAP.matcher(line);
      if (m.find()) {
        gcs++;
        peak = Math.max(peak, Long.parseLong(m.group(1)));
        afterMax = Math.max(afterMax, Long.parseLong(m.group(2)));
        size = Math.max(size, Long.parseLong(m.group(3)));
      }
    }
    return new Result(items, exit, seconds, peak, afterMax, size, gcs);
  }
}
