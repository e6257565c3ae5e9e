package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.testing.PostgresStandIn;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A transaction that loses to a concurrent one (here: a real deadlock) is retried, not failed. */
class ConflictRetryTest {
  @Test
  void aDeadlockVictimIsRetriedAndSucceeds() throws Exception {
    try (PostgresStandIn pg = new PostgresStandIn()) {
      pg.execute("CREATE TABLE one (x INT)");
      pg.execute("CREATE TABLE two (x INT)");
      BaseWarehouseClient client = (BaseWarehouseClient) pg.client();
      try (Connection other = pg.connect(); Statement s = other.createStatement()) {
        other.setAutoCommit(false);
        // The other session never runs the deadlock check, so this client's transaction is the victim.
        s.execute("SET deadlock_timeout = '1h'");
        s.execute("LOCK TABLE two IN ACCESS EXCLUSIVE MODE");
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> work = CompletableFuture.supplyAsync(() -> client.inTransaction("the work", c -> {
          attempts.incrementAndGet();
          client.execute(c, "LOCK TABLE one IN ACCESS EXCLUSIVE MODE");
          client.execute(c, "SET LOCAL deadlock_timeout = '100ms'");
          client.execute(c, "LOCK TABLE two IN ACCESS EXCLUSIVE MODE");
          return "done";
        }));
        // Bounded poll until the client holds "one" and waits for "two", then close the cycle.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pg.rows("SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'two' "
            + "AND NOT l.granted").isEmpty()) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.onSpinWait();
        }
        s.execute("LOCK TABLE one IN ACCESS EXCLUSIVE MODE");
        other.commit();
        assertThat(work.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
      }
      client.close();
    }
  }
}
