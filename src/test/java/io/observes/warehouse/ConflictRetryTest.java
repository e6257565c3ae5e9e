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
        // The other session never runs the deadlock check; PostgreSQL checks once per wait, after
        // deadlock_timeout, so the session that closes the cycle (this client) is the one that finds it.
        s.execute("SET deadlock_timeout = '1h'");
        s.execute("LOCK TABLE two IN ACCESS EXCLUSIVE MODE");
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> otherDone = new CompletableFuture<>();
        CompletableFuture<String> work = CompletableFuture.supplyAsync(() -> client.inTransaction("the work", c -> {
          client.execute(c, "LOCK TABLE one IN ACCESS EXCLUSIVE MODE");
          if (attempts.incrementAndGet() == 1) {
            CompletableFuture.runAsync(() -> {
              try {
                s.execute("LOCK TABLE one IN ACCESS EXCLUSIVE MODE");
                other.commit();
                otherDone.complete(null);
              } catch (Exception e) {
                otherDone.completeExceptionally(e);
              }
            });
            awaitWaiter(pg, "one");
          }
          client.execute(c, "SET LOCAL deadlock_timeout = '100ms'");
          client.execute(c, "LOCK TABLE two IN ACCESS EXCLUSIVE MODE");
          return "done";
        }));
        assertThat(work.get(60, TimeUnit.SECONDS)).isEqualTo("done");
        otherDone.get(60, TimeUnit.SECONDS);
        assertThat(attempts.get()).isEqualTo(2);
      }
      client.close();
    }
  }

  /** Bounded poll until a session waits for a lock on {@code table}. */
  static void awaitWaiter(PostgresStandIn pg, String table) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (pg.rows("SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '" + table
          + "' AND NOT l.granted").isEmpty()) {
        assertThat(System.nanoTime()).as("a session waits for %s within 30 s", table).isLessThan(deadline);
        Thread.onSpinWait();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
