package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.demo.DemoData;
import io.observes.demo.DemoStack;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Each phase as its own JVM, configured only by environment variables, as AWS Batch nodes run them. */
class DynamoProcessesTest {
  @TempDir Path logs;

  record Exit(int code, String out, String err) {}

  Process start(Map<String, String> env, String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.observes.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(logs.resolve(name + ".out").toFile())
        .redirectError(logs.resolve(name + ".err").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("OBSERVES_") || k.startsWith("REDSHIFT_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  Exit await(Process process, String name) throws Exception {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished within 120 s", name).isTrue();
    return new Exit(process.exitValue(), Files.readString(logs.resolve(name + ".out"), StandardCharsets.UTF_8),
        Files.readString(logs.resolve(name + ".err"), StandardCharsets.UTF_8));
  }

  Exit run(Map<String, String> env, String name, String... args) throws Exception {
    return await(start(env, name, args), name);
  }

  static Map<String, String> node(Map<String, String> env, int index, int nodes) {
    Map<String, String> node = new HashMap<>(env);
    node.put("AWS_BATCH_JOB_NODE_INDEX", Integer.toString(index));
    node.put("AWS_BATCH_JOB_NUM_NODES", Integer.toString(nodes));
    return node;
  }

  @Test
  void phasesRunAsSeparateProcessesConfiguredByTheEnvironment() throws Exception {
    try (DemoStack stack = DemoStack.start()) {
      Map<String, String> env = new HashMap<>(stack.environment("platform"));
      env.put("OBSERVES_RUN_ID", "batch-run-1");
      env.put("OBSERVES_WORK_DIR", logs.toString());
      env.put("OBSERVES_LOG_FORMAT", "json");
      AwsSettings aws = AwsSettings.from(new Environment(env));
      try (DynamoDbClient dynamo = AwsClients.dynamo(aws); S3Client s3 = AwsClients.s3(aws)) {
        s3.createBucket(b -> b.bucket(DemoStack.DATA_BUCKET));
        s3.createBucket(b -> b.bucket(DemoStack.CACHE_BUCKET));
        DemoData.createTable(dynamo, "platform");
        new DemoData(3).seed(dynamo, "platform", 400, n -> {});
      }

      Process node0 = start(node(env, 0, 2), "phase1-0", "etl", "dynamo", "phase1");
      Process node1 = start(node(env, 1, 2), "phase1-1", "etl", "dynamo", "phase1");
      Exit n0x = await(node0, "phase1-0");
      assertThat(n0x.code()).as(n0x.err()).isZero();
      Exit n1x = await(node1, "phase1-1");
      assertThat(n1x.code()).as(n1x.err()).isZero();

      Exit early = run(env, "phase4-early", "etl", "dynamo", "phase4", "--total-segments", "2");
      assertThat(early.code()).isEqualTo(1);
      assertThat(early.err()).contains("phase");

      Exit prepared = run(env, "phase2", "etl", "dynamo", "phase2", "--total-segments", "2");
      assertThat(prepared.code()).as(prepared.err()).isZero();
      Process load0 = start(node(env, 0, 2), "phase3-0", "etl", "dynamo", "phase3");
      Process load1 = start(node(env, 1, 2), "phase3-1", "etl", "dynamo", "phase3");
      Exit l0x = await(load0, "phase3-0");
      assertThat(l0x.code()).as(l0x.err()).isZero();
      Exit l1x = await(load1, "phase3-1");
      assertThat(l1x.code()).as(l1x.err()).isZero();
      Exit published = run(env, "phase4", "etl", "dynamo", "phase4", "--total-segments", "2");
      assertThat(published.code()).as(published.err()).isZero();
      assertThat(published.out()).contains("Published dynamodb (run batch-run-1)", "vulnerabilities");

      try (Connection c = DriverManager.getConnection(stack.jdbcUrl()); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM dynamodb.vulnerabilities")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(400 / 20 * 13);
      }
      // Batch logs are JSON lines for CloudWatch.
      assertThat(Files.readAllLines(logs.resolve("phase1-0.err"))).filteredOn(l -> l.startsWith("{"))
          .isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"level\""));
      assertThat(new File(logs.toFile(), "phase1-0.err")).content().doesNotContain(DemoStack.ACCESS_KEY + "secret");
    }
  }
}
