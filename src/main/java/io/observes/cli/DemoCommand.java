package io.observes.cli;

import io.observes.etl.dynamo.DynamoEtl;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import io.observes.pipeline.RunId;
import io.observes.pipeline.SegmentedRun;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes demo}: the platform ETL end to end on this machine, with nothing but Java: the
 * stand-ins start in this process, a realistic single-table data set is seeded, and the very same
 * code that runs on AWS Batch stages, loads and publishes it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the dynamo ETL end to end on embedded stand-ins: DynamoDB Local, s3proxy (S3) and",
        "PostgreSQL (for Redshift), seeded with a realistic single-table data set."})
final class DemoCommand implements Callable<Integer> {
  static final String TABLE = "integrates_vms";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--items", defaultValue = "20000", description = "Items to seed (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--segments", defaultValue = "4", description = "Segments, run on parallel threads (default: ${DEFAULT-VALUE}).")
  int segments;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--keep", description = "Leave the stack running afterwards and print how to connect; Ctrl-C stops it.")
  boolean keep;

  @Option(names = "--incremental", description = {"Load the warehouse from a full DynamoDB export instead (export, phase1 "
      + "--source export per segment, phase2-4),", "then change 1% of the items (updates, deletes, inserts) and apply them "
      + "with 'etl dynamo incremental'; print what changed per table."})
  boolean incremental;

  @Override
  public Integer call() throws Exception {
    SegmentOptions.requireTotal("--segments", segments);
    if (items < 1) {
      throw new ConfigException("--items must be at least 1");
    }
    if (incremental && items < 10) {
      throw new ConfigException("--incremental changes 1% of the items, 3 at least: give --items 10 or more");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting DynamoDB Local, s3proxy and embedded PostgreSQL...");
    out.flush();
    try (DemoStack stack = DemoStack.start()) {
      // The stack's own settings; the dialect as the user chose it (--warehouse-dialect redshift: the rehearsal).
      java.util.Map<String, String> variables = new java.util.HashMap<>(stack.environment(TABLE));
      CommandContext.of(spec).environment().get("OBSERVES_WAREHOUSE_DIALECT")
          .ifPresent(dialect -> variables.put("OBSERVES_WAREHOUSE_DIALECT", dialect));
      Environment env = new Environment(variables);
      seed(env, out);
      CommandContext context = CommandContext.of(spec);
      if (incremental) {
        new DemoIncremental(env, stack.exports(), context.clock(), context.retries(), out)
            .run(TABLE, items, seed, segments);
      } else {
        DynamoEtl.Options options = new DynamoEtl.Options(TABLE, "dynamodb", null, 1000, 0);
        RunId run = RunId.startingAt(context.clock().instant());
        try (DynamoEtl job = new DynamoEtl(env, context.clock(), options)) {
          out.printf("Running all phases with %d segments (run %s, %s dialect)...%n", segments, run,
              env.get("OBSERVES_WAREHOUSE_DIALECT").orElse("postgresql"));
          out.flush();
          SegmentedRun.Report report = DynamoWholeCommands.Run.runAll(job, run, segments, segments);
          DynamoWholeCommands.Run.print(out, job, run, report);
        }
      }
      out.printf("%nThe tables are in PostgreSQL, schema 'dynamodb'; the run log in 'observes_meta'.%n");
      if (keep) {
        // The export stand-in forwards every other call, so commands pointed at it find the table too.
        Map<String, String> commands = new java.util.TreeMap<>(variables);
        if (incremental) {
          commands.put("AWS_ENDPOINT_URL_DYNAMODB", stack.exports().endpoint().toString());
        }
        out.printf("Stack running. Connect with:%n  psql -h localhost -p %d -U postgres postgres%n  JDBC: %s%n"
            + "Run observes against it in this environment (the stand-ins' own demo keys):%n  export %s%n"
            + "Press Ctrl-C to stop.%n", stack.postgresPort(), stack.jdbcUrl(), commands.entrySet().stream()
                .map(e -> e.getKey() + "='" + e.getValue() + "'").collect(java.util.stream.Collectors.joining(" ")));
        out.flush();
        awaitShutdown(stack);
      }
    }
    return 0;
  }

  private void seed(Environment env, PrintWriter out) {
    AwsSettings aws = AwsSettings.from(env);
    long start = System.nanoTime();
    try (DynamoDbClient dynamo = AwsClients.dynamo(aws); S3Client s3 = AwsClients.s3(aws)) {
      for (String bucket : new String[] {DemoStack.DATA_BUCKET, DemoStack.CACHE_BUCKET, DemoStack.STATE_BUCKET}) {
        s3.createBucket(b -> b.bucket(bucket));
      }
      DemoData.createTable(dynamo, TABLE);
      new DemoData(seed).seed(dynamo, TABLE, items, n -> { });
    }
    out.printf("Seeded %,d items into DynamoDB table %s in %.1f s.%n", items, TABLE, (System.nanoTime() - start) / 1e9);
    out.flush();
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then stops the stack in the shutdown hook. */
  private static void awaitShutdown(DemoStack stack) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stack.close();
      } catch (Exception e) {
        System.err.println("stopping the demo stack: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "demo-shutdown"));
    stopped.await();
  }
}
