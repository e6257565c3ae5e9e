package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.testing.PostgresStandIn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** Batch nodes of one phase start together and all create the run log on first use. */
class RunLogConcurrencyTest {
  @Test
  void nodesCreatingTheRunLogAtOnceAllSucceed() throws Exception {
    try (PostgresStandIn pg = new PostgresStandIn()) {
      List<WarehouseClient> clients = List.of(pg.client(), pg.client(), pg.client(), pg.client());
      try {
        for (int round = 0; round < 15; round++) {
          pg.execute("DROP SCHEMA IF EXISTS observes_meta CASCADE");
          CyclicBarrier together = new CyclicBarrier(clients.size());
          List<Throwable> errors = new CopyOnWriteArrayList<>();
          List<Thread> threads = new ArrayList<>();
          for (WarehouseClient client : clients) {
            Thread t = new Thread(() -> {
              try {
                together.await();
                client.runLog().ensure();
              } catch (Throwable e) {
                errors.add(e);
              }
            });
            t.start();
            threads.add(t);
          }
          for (Thread t : threads) {
            t.join(30_000);
          }
          assertThat(errors).as("round %d", round).isEmpty();
          assertThat(pg.rows("SELECT COUNT(*) AS n FROM observes_meta.runs").get(0).get("n")).isEqualTo("0");
        }
      } finally {
        clients.forEach(WarehouseClient::close);
      }
    }
  }
}
