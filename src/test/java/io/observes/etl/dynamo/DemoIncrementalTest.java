package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.testing.JobProcess;
import io.observes.testing.TestDialect;
import io.observes.testing.WarehouseRebuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code observes demo --incremental --keep} as its own process (a fresh JVM, its own stand-ins): the
 * changes it says it made per table are what its incremental run did to each root table, every
 * table's rows moved by what the merge inserted and deleted, and the kept warehouse equals the kept
 * table, facet by facet, value by value.
 */
class DemoIncrementalTest {
  private static final Pattern CHANGED = Pattern.compile("Changed (\\d+) of 600 items in (\\d+) tables: (\\d+) updated, "
      + "(\\d+) deleted, (\\d+) inserted:");
  private static final Pattern ROW = Pattern.compile("^ {2}(\\S+)((?:\\s+[+-]?[\\d,]+)+)$");
  private static final Pattern APPLIED = Pattern.compile("Applied \\d+ changes .* \\(run (\\S+)\\)");

  @TempDir Path logs;

  /** The rows of the table printed after {@code header}, by their first column, until a blank line. */
  static Map<String, long[]> table(String out, String header) {
    int at = out.indexOf(header);
    assertThat(at).as("'%s' in the demo's output:%n%s", header, out).isNotNegative();
    Map<String, long[]> rows = new LinkedHashMap<>();
    List<String> lines = out.substring(at).lines().skip(1).toList();
    for (String line : lines) {
      if (line.isBlank()) {
        break;
      }
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(1), java.util.Arrays.stream(m.group(2).trim().split("\\s+"))
            .mapToLong(n -> Long.parseLong(n.replace(",", "").replace("+", ""))).toArray());
      }
    }
    return rows;
  }

  @Test
  void theDemoPrintsWhatItChangedPerTableAndTheWarehouseEqualsTheTableAfterwards() throws Exception {
    Process demo = new JobProcess(logs, "1g").cli("demo", TestDialect.apply(Map.of()), "demo", "--incremental",
        "--items", "600", "--segments", "2", "--seed", "11", "--keep");
    try {
      String out = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!out.contains("Press Ctrl-C to stop.")) {
        assertThat(demo.isAlive()).as("the demo runs until kept; stderr: %s; stdout: %s",
            Files.readString(logs.resolve("demo.err")), out).isTrue();
        assertThat(System.nanoTime()).as("the demo reached --keep within 240 s").isLessThan(deadline);
        demo.waitFor(200, TimeUnit.MILLISECONDS);
        out = Files.readString(logs.resolve("demo.out"));
      }

      Matcher changed = CHANGED.matcher(out);
      assertThat(changed.find()).as(out).isTrue();
      assertThat(changed.group(1)).as("1% of 600").isEqualTo("6");
      assertThat(List.of(changed.group(3), changed.group(4), changed.group(5))).containsExactly("3", "1", "2");
      Map<String, long[]> made = table(out, "Changed ");
      Map<String, long[]> merged = table(out.substring(out.indexOf("Incremental refresh")), "staged   inserted");
      Map<String, long[]> rows = table(out, "Rows per table, before and after");
      assertThat(made).hasSize(Integer.parseInt(changed.group(2)));
      assertThat(made.values().stream().mapToLong(r -> r[0] + r[1] + r[2]).sum()).isEqualTo(6);
      made.forEach((table, kinds) -> {
        long[] did = merged.get(table);
        assertThat(did).as("the merge's line of %s", table).isNotNull();
        // made: updated, deleted, inserted; merged: staged, inserted, updated, deleted
        assertThat(new long[] {did[2], did[3], did[1]}).as("what the merge did to %s", table).containsExactly(kinds);
      });
      assertThat(rows).as("every table of the full load").hasSizeGreaterThan(30);
      rows.forEach((table, beforeAfterChange) -> {
        long[] did = merged.getOrDefault(table, new long[4]);
        assertThat(beforeAfterChange[1] - beforeAfterChange[0]).as("rows of %s", table).isEqualTo(did[1] - did[3])
            .isEqualTo(beforeAfterChange[2]);
      });

      Matcher run = APPLIED.matcher(out);
      assertThat(run.find()).as(out).isTrue();
      Map<String, String> env = new HashMap<>();
      String exports = out.lines().filter(l -> l.startsWith("  export AWS_")).findFirst().orElseThrow();
      Matcher variable = Pattern.compile("(\\w+)='([^']*)'").matcher(exports);
      while (variable.find()) {
        env.put(variable.group(1), variable.group(2));
      }
      AwsSettings aws = AwsSettings.from(new Environment(env));
      try (DynamoDbClient dynamo = AwsClients.dynamo(aws); S3Client s3 = AwsClients.s3(aws)) {
        TreeSet<String> expected = new TreeSet<>(DynamoExportTest.sourceFactsOf(dynamo, env.get("OBSERVES_DYNAMO_TABLE")));
        WarehouseRebuild.assertHolds(expected, WarehouseRebuild.facts(env.get("OBSERVES_WAREHOUSE_URL"), "dynamodb",
            DynamoExportTest.runSchemaOf(s3, run.group(1)), "pk", "sk"));
        assertThat(expected).hasSizeGreaterThan(600);
      }
    } finally {
      demo.destroy(); // SIGTERM: the demo's shutdown hook stops its stack
      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the kept demo stops on SIGTERM").isTrue();
    }
  }
}
