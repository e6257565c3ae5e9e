package io.observes.etl.dynamo;

import static io.observes.etl.dynamo.BatchNodes.node;
import static io.observes.etl.dynamo.BatchNodes.phase;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each phase as its own JVM, as AWS Batch nodes run them, killed (SIGKILL) at several points and run
 * again: every item is loaded once. A class of its own so that it runs beside {@link DynamoProcessesTest}.
 */
class DynamoKilledProcessesTest {
  @TempDir static Path logs;
  static BatchNodes nodes;
  static int runs;

  @BeforeAll
  static void start() throws Exception {
    nodes = BatchNodes.start(logs);
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void everyPhaseKilledAtSeveralPointsAndRunAgainLoadsEveryItemOnce() throws Exception {
    String run = "killed-" + (++runs);
    Map<String, String> env = nodes.table("killed", 2500, run);
    String[] phase1 = phase("phase1", "killed");
    // phase1: before anything happened, while scanning, then for real.
    nodes.killWhen(nodes.start(node(env, 0, 2), "k1-a", phase1), "k1-a", null);
    nodes.killWhen(nodes.start(node(env, 0, 2), "k1-b", phase1), "k1-b", nodes.running(run, "stage"));
    nodes.ok(node(env, 0, 2), "k1-c", phase1);
    nodes.killWhen(nodes.start(node(env, 1, 2), "k1-d", phase1), "k1-d", nodes.running(run, "stage"));
    nodes.ok(node(env, 1, 2), "k1-e", phase1);

    String[] phase2 = phase("phase2", "killed");
    // Killed inside its one transaction (waiting for the staging lock), then at once, then for real.
    try (Connection lock = nodes.holdStagingLock()) {
      nodes.killWhen(nodes.start(env, "k2-a", phase2), "k2-a", nodes.waitingForStagingLock());
    }
    nodes.killWhen(nodes.start(env, "k2-b", phase2), "k2-b", null);
    nodes.ok(env, "k2-c", phase2);

    String[] phase3 = phase("phase3", "killed");
    // Killed after some tables committed (each with its one COPY), then while it starts, then for real.
    nodes.killWhen(nodes.start(env, "k3-a", phase3), "k3-a",
        () -> nodes.count("SELECT COUNT(*) FROM killed_loading._observes_loads") >= 3);
    long loaded = nodes.count("SELECT COUNT(*) FROM killed_loading._observes_loads");
    nodes.killWhen(nodes.start(env, "k3-b", phase3), "k3-b", nodes.running(run, "load"));
    BatchNodes.Exit rest = nodes.ok(env, "k3-c", phase3);
    assertThat(nodes.count("SELECT COUNT(*) FROM killed_loading._observes_loads")).isGreaterThan(loaded);
    assertThat(rest.out()).contains("(already loaded)");
    assertThat(nodes.ok(env, "k3-d", phase3).out()).contains("every table of run " + run + " is already loaded");

    String[] phase4 = phase("phase4", "killed");
    // Killed after verifying, inside the swap transaction; then again while verifying.
    try (Connection lock = nodes.holdStagingLock()) {
      nodes.killWhen(nodes.start(env, "k4-a", phase4), "k4-a", nodes.waitingForStagingLock());
    }
    assertThat(nodes.count("SELECT COUNT(*) FROM killed_loading._observes_run")).as("the swap was rolled back").isEqualTo(1);
    nodes.killWhen(nodes.start(env, "k4-b", phase4), "k4-b", nodes.running(run, "publish"));
    // Killed before or after its commit: the rerun publishes, or finds it published.
    BatchNodes.Exit published = nodes.ok(env, "k4-c", phase4);
    assertThat(published.out()).containsAnyOf("Published killed", "already published run " + run);
    assertThat(nodes.ok(env, "k4-d", phase4).out()).contains("already published run " + run);

    nodes.assertWarehouseHoldsTheTable(env, "killed", "killed");
    // Killed phases stay RUNNING in the run log; every phase has a SUCCEEDED row.
    assertThat(nodes.count("SELECT COUNT(DISTINCT phase) FROM observes_meta.runs WHERE run_id = '" + run
        + "' AND status = 'SUCCEEDED'")).isEqualTo(4);
  }
}
