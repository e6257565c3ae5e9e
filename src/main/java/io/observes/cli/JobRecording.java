package io.observes.cli;

import io.observes.config.Environment;
import io.observes.config.UrlCredentials;
import io.observes.warehouse.WarehouseConfig;
import io.observes.pipeline.RunId;
import io.observes.pipeline.RunLog;
import io.observes.warehouse.RunQuery;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseException;
import io.observes.warehouse.Warehouses;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run log of a job that works outside the warehouse (cancel-ci-jobs, the timedoctor backup):
 * recorded when a warehouse is configured, so that the report and the checks see it like any ETL;
 * without one, or when it cannot be reached, the job still runs and says it was not recorded.
 */
final class JobRecording {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecording.class);

  private JobRecording() {}

  static <T> T record(Environment env, Clock clock, String job, String phase, Supplier<T> work,
      Function<T, List<TableCounts>> counts) {
    return record(env, clock, job, phase, null, work, counts);
  }

  /** As above; the phase is stopped once {@code progress} (when given) has not grown for the stall limit. */
  static <T> T record(Environment env, Clock clock, String job, String phase, java.util.function.LongSupplier progress,
      Supplier<T> work, Function<T, List<TableCounts>> counts) {
    if (env.get("OBSERVES_WAREHOUSE_URL").isEmpty() && env.get("REDSHIFT_HOST").isEmpty()) {
      LOG.warn("{} is not recorded in the run log: no warehouse is configured (OBSERVES_WAREHOUSE_URL)", job);
      return work.get();
    }
    WarehouseClient warehouse;
    try {
      warehouse = Warehouses.open(WarehouseConfig.from(env, null));
    } catch (WarehouseException e) {
      LOG.warn("{} is not recorded in the run log: {}", job, UrlCredentials.strip(e.getMessage()));
      return work.get();
    }
    try (warehouse) {
      return new RunLog(warehouse, clock, RunOrigin.from(env.variables()), null, io.observes.pipeline.JobTimes.heartbeat(env), io.observes.pipeline.JobTimes.stallLimit(env))
          .phase(job, RunId.unique(clock.instant()), phase, null, null, progress, () -> {
            T result = work.get();
            return new RunLog.Outcome<>(result, counts.apply(result));
          });
    }
  }
}
