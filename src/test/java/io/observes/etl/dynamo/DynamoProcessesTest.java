package io.observes.etl.dynamo;

import static io.observes.etl.dynamo.BatchNodes.node;
import static io.observes.etl.dynamo.BatchNodes.phase;
import static org.assertj.core.api.Assertions.assertThat;

import io.observes.demo.DemoStack;
import io.observes.etl.dynamo.BatchNodes.Exit;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each phase as its own JVM, configured only by environment variables, as AWS Batch nodes run them:
 * every phase run twice in a row says its work is done. Killed phases: {@link DynamoKilledProcessesTest}.
 */
class DynamoProcessesTest {
  @TempDir static Path logs;
  static BatchNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    nodes = BatchNodes.start(logs);
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void everyPhaseRunTwiceInARowSucceedsAndSaysItsWorkIsDone() throws Exception {
    Map<String, String> env = nodes.table("twice", 400, "batch-run-1");
    Process node0 = nodes.start(node(env, 0, 2), "phase1-0", phase("phase1", "twice"));
    Process node1 = nodes.start(node(env, 1, 2), "phase1-1", phase("phase1", "twice"));
    Exit n0 = nodes.await(node0, "phase1-0");
    assertThat(n0.code()).as(n0.err()).isZero();
    Exit n1 = nodes.await(node1, "phase1-1");
    assertThat(n1.code()).as(n1.err()).isZero();
    assertThat(nodes.ok(node(env, 0, 2), "phase1-0-again", phase("phase1", "twice")).out()).contains("Nothing to do", "already staged");

    Exit early = nodes.run(env, "phase4-early", phase("phase4", "twice"));
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.err()).contains("phase2");

    // phase2 and phase4 read the number of segments from the run's manifests.
    nodes.ok(env, "phase2", phase("phase2", "twice"));
    assertThat(nodes.ok(env, "phase2-again", phase("phase2", "twice")).out()).contains("Nothing to do", "already prepared");
    Process load0 = nodes.start(node(env, 0, 2), "phase3-0", phase("phase3", "twice"));
    Process load1 = nodes.start(node(env, 1, 2), "phase3-1", phase("phase3", "twice"));
    Exit l0 = nodes.await(load0, "phase3-0");
    assertThat(l0.code()).as(l0.err()).isZero();
    Exit l1 = nodes.await(load1, "phase3-1");
    assertThat(l1.code()).as(l1.err()).isZero();
    assertThat(nodes.ok(node(env, 1, 2), "phase3-1-again", phase("phase3", "twice")).out()).contains("already loaded");
    assertThat(nodes.ok(env, "phase3-all", phase("phase3", "twice")).out()).contains("already loaded");

    Exit published = nodes.ok(env, "phase4", phase("phase4", "twice"));
    assertThat(published.out()).contains("Published twice (run batch-run-1)", "vulnerability_metadata");
    assertThat(nodes.ok(env, "phase4-again", phase("phase4", "twice")).out())
        .contains("Nothing to do: already published run batch-run-1");
    assertThat(nodes.ok(node(env, 0, 2), "phase3-after", phase("phase3", "twice")).out()).contains("already published");
    assertThat(nodes.ok(node(env, 1, 2), "phase1-after", phase("phase1", "twice")).out()).contains("already published");
    assertThat(nodes.ok(env, "phase2-after", phase("phase2", "twice")).out()).contains("already published");

    nodes.assertWarehouseHoldsTheTable(env, "twice", "twice");
    try (Connection c = DriverManager.getConnection(nodes.stack.jdbcUrl()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM twice.vulnerability_metadata")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(400 / 40 * 9);
    }
    // Batch logs are JSON lines for CloudWatch, without secrets.
    assertThat(Files.readAllLines(nodes.log("phase1-0.err"))).filteredOn(l -> l.startsWith("{"))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"level\""));
    assertThat(new File(logs.toFile(), "phase1-0.err")).content().doesNotContain(DemoStack.ACCESS_KEY + "secret");
  }
}
