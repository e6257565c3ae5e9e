package io.observes.jobs.quality;

import io.observes.batch.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data-quality checks of a pipeline from its history: freshness (time since its last success
 * against its SLA), its last run (failed or lost), row counts (each table's rows in the last
 * successful run against the median of the runs before it: zero, or below the job's fraction), and
 * rejected values (more in the last run than the job allows); and the checks on its tables' profiles
 * ({@link ProfileChecks}). Thresholds come from the catalogue.
 */
public final class HealthChecks {
  private HealthChecks() {}

  public static List<Finding> of(PipelineHistory history, Instant now) {
    String job = history.job().name();
    Health health = history.job().health();
    List<Finding> findings = new ArrayList<>();
    if (history.job().slaHours() != null) {
      Duration sla = Duration.ofHours(history.job().slaHours());
      findings.add(history.stale(now)
          ? new Finding(job, "freshness", false, history.lastSuccess()
              .map(r -> "last success " + hours(history.age(now).orElseThrow()) + " ago (" + (r.dataAsOf() != null
                  ? "its data as of " + r.dataAsOf() : r.finished() == null ? r.started() : r.finished())
                  + "), beyond its SLA of " + sla.toHours() + " h")
              .orElse("no success recorded in the window; its SLA is " + sla.toHours() + " h") + ". " + retry(history))
          : new Finding(job, "freshness", true, "last success " + hours(history.age(now).orElseThrow()) + " ago, within "
              + sla.toHours() + " h"));
    }
    history.last().ifPresent(last -> findings.add(last.broken()
        ? new Finding(job, "last run", false, "run " + last.run() + " " + last.status() + " (started " + last.started() + ")"
            + (last.error() == null ? "" : ": " + last.error()) + ". " + retry(history))
        : new Finding(job, "last run", true, "run " + last.run() + " " + last.status())));
    history.lastSuccess().ifPresent(lastSuccess -> {
      if (history.checksTables()) {
        history.tables().forEach((table, points) -> findings.add(rows(job, health, table, points, lastSuccess.run())));
      }
      if (!history.checksRejections()) {
        return;
      }
      long rejected = history.rejected(lastSuccess);
      findings.add(rejected > health.maxRejected()
          ? new Finding(job, "rejected values", false, "run " + lastSuccess.run() + " rejected " + rejected + " values, more than "
              + health.maxRejected() + "; see the _rejected table of " + lastSuccess.target() + " for the values and reasons")
          : new Finding(job, "rejected values", true, rejected + " rejected in run " + lastSuccess.run()));
    });
    findings.addAll(ProfileChecks.of(history));
    return findings;
  }

  private static Finding rows(String job, Health health, String table, List<PipelineHistory.TablePoint> points, String run) {
    String check = "rows of " + table;
    int at = -1;
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).run().equals(run)) {
        at = i;
      }
    }
    if (at < 0) {
      return new Finding(job, check, true, "not loaded by run " + run);
    }
    long rows = points.get(at).rows();
    List<Long> before = new ArrayList<>();
    for (int i = Math.max(0, at - health.medianOf()); i < at; i++) {
      before.add(points.get(i).rows());
    }
    if (before.isEmpty()) {
      return new Finding(job, check, true, rows + " rows (no earlier run to compare with)");
    }
    double median = median(before);
    boolean anomaly = median > 0 && (rows == 0 || rows < health.minRowsFraction() * median);
    String text = String.format(Locale.ROOT, "%,d rows in run %s; the median of the %d runs before is %,.0f", rows, run,
        before.size(), median);
    return anomaly
        ? new Finding(job, check, false, text + String.format(Locale.ROOT, ", and less than %.0f%% of it is an anomaly: did the "
            + "source lose data, or the read stop early?", health.minRowsFraction() * 100))
        : new Finding(job, check, true, text);
  }

  static double median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /** The command that runs the job again on AWS Batch. */
  static String retry(PipelineHistory history) {
    return "Retry: observes batch submit " + history.job().name();
  }

  private static String hours(Duration d) {
    return d.toHours() < 1 ? d.toMinutes() + " min" : String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
  }
}
