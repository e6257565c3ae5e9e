package io.observes.cli;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.config.UrlCredentials;
import io.observes.warehouse.WarehouseConfig;
import io.observes.metrics.RunMetrics;
import io.observes.warehouse.RunLogStore;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.RunQuery;
import io.observes.warehouse.RunSummary;
import io.observes.warehouse.TableRun;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Warehouses;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On exit, with {@code OBSERVES_PUSHGATEWAY_URL} set: the run-log rows this process wrote (its host
 * and Batch job, since it started) pushed as Prometheus metrics. Best effort: a push that fails is
 * logged and never changes the exit code.
 */
final class ExitMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(ExitMetrics.class);

  private ExitMetrics() {}

  static void push(Environment env, Clock clock, Instant started) {
    Optional<RunMetrics> metrics;
    try {
      metrics = RunMetrics.from(env);
    } catch (ConfigException e) {
      LOG.warn("no metrics pushed: {}", e.getMessage());
      return;
    }
    if (metrics.isEmpty()) {
      return;
    }
    if (env.get("OBSERVES_WAREHOUSE_URL").isEmpty() && env.get("REDSHIFT_HOST").isEmpty()) {
      LOG.warn("no metrics pushed: they are read from the run log, and no warehouse is configured");
      return;
    }
    RunOrigin origin = RunOrigin.from(env.variables());
    try (WarehouseClient warehouse = Warehouses.open(WarehouseConfig.from(env, null))) {
      RunLogStore runLog = warehouse.runLog();
      runLog.ensure();
      Instant now = clock.instant();
      List<RunSummary> mine = runLog.runs(new RunQuery(Optional.empty(), Optional.of(started.minusSeconds(1)), Optional.empty(),
          10_000, RunQuery.LOST_AFTER), now).stream()
          .filter(r -> Objects.equals(r.origin().host(), origin.host()) && Objects.equals(r.origin().batchJob(), origin.batchJob()))
          .toList();
      List<TableRun> tables = new ArrayList<>();
      mine.stream().map(RunSummary::job).distinct().forEach(job -> tables.addAll(runLog.tableRuns(job, started.minusSeconds(1))));
      metrics.get().push(origin.batchJob() != null ? origin.batchJob() : origin.host(), mine, tables, now);
    } catch (Exception e) {
      LOG.warn("the metrics were not pushed to {}: {}", RunMetrics.VARIABLE, UrlCredentials.strip(e.getMessage()));
    }
  }
}
