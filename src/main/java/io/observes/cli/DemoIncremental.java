package io.observes.cli;

import io.observes.etl.dynamo.DynamoEtl;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.warehouse.WarehouseConfig;
import io.observes.demo.DemoChanges;
import io.observes.demo.DemoChanges.Change;
import io.observes.demo.DemoChanges.Kind;
import io.observes.demo.ExportStandIn;
import io.observes.etl.dynamo.TableRouting;
import io.observes.http.RetrySettings;
import io.observes.pipeline.RunId;
import io.observes.warehouse.TableRun;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code observes demo --incremental}: the warehouse loaded from a full DynamoDB export, then 1% of
 * the items changed and applied by an incremental run, every step through the very command a
 * deployment runs ({@code etl dynamo export}, {@code phase1 --source export} per segment,
 * {@code phase2}..{@code phase4}, {@code incremental}), in this process, against the demo stack
 * and its export stand-in.
 */
final class DemoIncremental {
  /**
   * The export stand-in accepts only incremental windows that end in the past, of 15 minutes at
   * least; so the full export holds the table as of an hour ago and the changes are dated half an
   * hour ago (the stand-in's captureChanges): the incremental run's one window, from the export to
   * now, holds them. The commands themselves run on the real clock.
   */
  static final Duration SNAPSHOT_AGE = Duration.ofHours(1);
  static final Duration CHANGES_AGE = Duration.ofMinutes(30);
  /** The share of the items changed, in percent. */
  static final int CHANGED_PERCENT = 1;

  private final Environment direct;
  private final ExportStandIn exports;
  private final Environment throughExports;
  private final Clock clock;
  private final RetrySettings retries;
  private final PrintWriter out;

  /** {@code direct}: the stack's environment; the commands get it with DynamoDB behind {@code exports}. */
  DemoIncremental(Environment direct, ExportStandIn exports, Clock clock, RetrySettings retries, PrintWriter out) {
    this.direct = direct;
    this.exports = exports;
    Map<String, String> variables = new TreeMap<>(direct.variables());
    variables.put("AWS_ENDPOINT_URL_DYNAMODB", exports.endpoint().toString());
    this.throughExports = new Environment(variables);
    this.clock = clock;
    this.retries = retries;
    this.out = out;
  }

  /** Runs it all on {@code table}, which holds {@code items} items seeded with {@code seed}. */
  void run(String table, int items, long seed, int segments) throws Exception {
    Instant started = clock.instant();
    Instant snapshot = started.truncatedTo(ChronoUnit.SECONDS).minus(SNAPSHOT_AGE);
    RunId full = RunId.startingAt(started);
    // A real export takes minutes; the demo's completes on the first DescribeExport, in files enough for every segment.
    exports.describesUntilDone(1);
    exports.dataFiles(Math.max(4, 2 * segments));
    out.printf("Full refresh from a DynamoDB export (run %s): the table as of %s, %d segments...%n", full, snapshot,
        segments);
    out.flush();
    step("export", "Export ", "export", "--export-time", snapshot.toString(), "--poll-seconds", "1", "--run-id", full.value());
    timed("phase1", () -> {
      ExecutorService threads = Executors.newFixedThreadPool(segments);
      try {
        List<Future<String>> done = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
          String segment = Integer.toString(s);
          done.add(threads.submit(() -> command("phase1", "--source", "export", "--segment", segment,
              "--total-segments", Integer.toString(segments), "--run-id", full.value())));
        }
        for (Future<String> segment : done) {
          segment.get();
        }
      } finally {
        threads.shutdownNow();
      }
      return segments + " segments read from the export's data files";
    });
    step("phase2", "Prepared", "phase2", "--run-id", full.value());
    step("phase3", "Loaded", "phase3", "--run-id", full.value());
    step("phase4", "Published", "phase4", "--run-id", full.value());

    Map<String, Long> before = rows(started);
    TableRouting routing = DynamoEtl.routing(null, table);
    exports.enableStream(table);
    List<Change> changes;
    try (DynamoDbClient dynamo = AwsClients.dynamo(AwsSettings.from(direct))) {
      changes = new DemoChanges(seed, items, item -> routing.tableOf(item, "pk", "sk"))
          .apply(dynamo, table, Math.round(items * CHANGED_PERCENT / 100f), seed + 1);
    }
    exports.captureChanges(table, snapshot.plus(SNAPSHOT_AGE.minus(CHANGES_AGE)));
    printChanges(changes, items, routing);

    out.printf("%nIncremental refresh (observes etl dynamo incremental), the changes dated %s:%n",
        snapshot.plus(SNAPSHOT_AGE.minus(CHANGES_AGE)));
    out.print(step("incremental", "Applied", "incremental", "--poll-seconds", "1"));
    Map<String, Long> after = rows(started);
    out.printf("%nRows per table, before and after the incremental run:%n  %-56s %10s %10s %10s%n", "table", "before",
        "after", "change");
    for (String name : new TreeSet<>(after.keySet())) {
      long was = before.getOrDefault(name, 0L);
      long is = after.get(name);
      out.printf("  %-56s %,10d %,10d %+,10d%n", name, was, is, is - was);
    }
    out.flush();
  }

  /** The demo's changes per table (facet): how many items of it were updated, deleted, inserted. */
  private void printChanges(List<Change> changes, int items, TableRouting routing) {
    Map<String, Map<Kind, Integer>> byTable = new TreeMap<>();
    Map<Kind, Integer> total = new EnumMap<>(Kind.class);
    for (Change change : changes) {
      byTable.computeIfAbsent(routing.tableOf(change.item(), "pk", "sk"), t -> new EnumMap<>(Kind.class))
          .merge(change.kind(), 1, Integer::sum);
      total.merge(change.kind(), 1, Integer::sum);
    }
    out.printf("%nChanged %,d of %,d items in %d tables: %d updated, %d deleted, %d inserted:%n  %-56s %10s %10s %10s%n",
        changes.size(), items, byTable.size(), total.getOrDefault(Kind.UPDATED, 0), total.getOrDefault(Kind.DELETED, 0),
        total.getOrDefault(Kind.INSERTED, 0), "table", "updated", "deleted", "inserted");
    byTable.forEach((table, kinds) -> out.printf("  %-56s %10d %10d %10d%n", table, kinds.getOrDefault(Kind.UPDATED, 0),
        kinds.getOrDefault(Kind.DELETED, 0), kinds.getOrDefault(Kind.INSERTED, 0)));
    out.flush();
  }

  /** The rows of every table the demo's runs published, from the run log's table names. */
  private Map<String, Long> rows(Instant since) {
    Map<String, Long> rows = new TreeMap<>();
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(direct, null))) {
      TreeSet<String> tables = new TreeSet<>();
      for (TableRun run : warehouse.runLog().tableRuns(DynamoEtl.ETL, since)) {
        if (run.phase().equals("publish")) {
          tables.add(run.table());
        }
      }
      for (String table : tables) {
        warehouse.countRowsIfExists("dynamodb", table).ifPresent(n -> rows.put(table, n));
      }
    }
    return rows;
  }

  private interface Work {
    String run() throws Exception;
  }

  /** Runs {@code work}, then prints its name, time and summary on one line. */
  private void timed(String name, Work work) throws Exception {
    long start = System.nanoTime();
    String summary = work.run();
    out.printf("  %-12s %6.1f s  %s%n", name, (System.nanoTime() - start) / 1e9, summary);
    out.flush();
  }

  /** One command, timed, with its line starting {@code summary} as the summary; returns its whole output. */
  private String step(String name, String summary, String... args) throws Exception {
    String[] output = new String[1];
    timed(name, () -> {
      output[0] = command(args);
      return output[0].lines().filter(line -> line.startsWith(summary)).findFirst().orElse("").strip();
    });
    return output[0];
  }

  /** {@code observes etl dynamo <args>} in this process, against the stack; its output, or why it failed. */
  private String command(String... args) {
    CommandLine cli = Main.commandLine(throughExports, clock, retries);
    StringWriter output = new StringWriter();
    StringWriter errors = new StringWriter();
    cli.setOut(new PrintWriter(output));
    cli.setErr(new PrintWriter(errors));
    List<String> argv = new ArrayList<>(List.of("etl", "dynamo"));
    argv.addAll(List.of(args));
    int code = cli.execute(argv.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("the demo's 'observes " + String.join(" ", argv) + "' failed (exit " + code + "): "
          + errors.toString().strip() + "\n" + output);
    }
    return output.toString();
  }
}
