package io.observes.warehouse;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Work on the warehouse's connections: in one transaction, retried while it conflicts with concurrent
 * ones (what a conflict is, the dialect says), or in autocommit for the statements some warehouse
 * refuses inside a transaction block.
 */
final class Transactions {
  /** Conflicting concurrent transactions (many Batch nodes at once) are retried, a few seconds at most. */
  private static final RetryConfig CONFLICTS = RetryConfig.custom()
      .maxAttempts(6)
      .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5))
      .build();

  private final DataSource dataSource;
  private final Predicate<SQLException> conflict;

  Transactions(DataSource dataSource, Predicate<SQLException> conflict) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.conflict = Objects.requireNonNull(conflict, "conflict");
  }

  Connection connect() throws SQLException {
    return dataSource.getConnection();
  }

  <T> T inTransaction(String what, BaseWarehouseClient.Work<T> work) {
    return retryingConflicts(what, () -> {
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new WarehouseException(what + " failed: " + describe(e), e);
      }
    });
  }

  void autocommit(String what, BaseWarehouseClient.Work<Void> work) {
    try (Connection c = connect()) {
      c.setAutoCommit(true);
      work.run(c);
    } catch (SQLException e) {
      throw new WarehouseException(what + " failed: " + describe(e), e);
    }
  }

  <T> T retryingConflicts(String what, Supplier<T> attempt) {
    Retry retry = Retry.of(what, RetryConfig.from(CONFLICTS)
        .retryOnException(e -> e instanceof WarehouseException w && w.getCause() instanceof SQLException s && conflict.test(s))
        .build());
    return Retry.decorateSupplier(retry, attempt).get();
  }

  /** The message and, for pool timeouts, the driver's reason underneath. */
  static String describe(SQLException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getMessage() : e.getMessage() + " (cause: " + root.getMessage() + ")";
  }
}
