package io.observes.jobs.quality;

import io.observes.batch.Health;
import io.observes.batch.ProfileLimits;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.TableProfile;
import io.observes.warehouse.TableProfile.ColumnProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks on a pipeline's table profiles, each table's latest against the runs before it: its
 * schema (a column added or its type changed warns; dropped fails, unless the job drops columns on
 * purpose), NULL drift (a column's NULL fraction rising beyond the limit over the median of the last
 * {@code median_of} runs), a root table's row id repeating, child rows without a parent row, and
 * growth beyond a factor of the median rows. A table whose checks all pass is one passing finding.
 */
public final class ProfileChecks {
  /** Below this many rows a NULL fraction moves by chance: a 10-row table gaining 3 NULLs is no drift. */
  static final long NULL_DRIFT_MIN_ROWS = 100;

  private ProfileChecks() {}

  public static List<Finding> of(PipelineHistory history) {
    List<Finding> findings = new ArrayList<>();
    if (!history.checksTables()) {
      return findings;
    }
    // Only the tables the newest profiled run published: a table a later run no longer has (retired) is no finding.
    String newest = history.profiles().values().stream().map(p -> p.get(p.size() - 1))
        .max(java.util.Comparator.comparing(RecordedProfile::profiledAt)).map(RecordedProfile::run).orElse(null);
    for (Map.Entry<String, List<RecordedProfile>> table : history.profiles().entrySet()) {
      List<RecordedProfile> profiles = table.getValue();
      if (profiles.get(profiles.size() - 1).run().equals(newest)) {
        findings.addAll(table(history, table.getKey(), profiles));
      }
    }
    return findings;
  }

  static List<Finding> table(PipelineHistory history, String table, List<RecordedProfile> profiles) {
    String job = history.job().name();
    Health health = history.job().health();
    ProfileLimits limits = health.limits(table);
    RecordedProfile latest = profiles.get(profiles.size() - 1);
    List<RecordedProfile> before = profiles.subList(Math.max(0, profiles.size() - 1 - health.medianOf()), profiles.size() - 1);
    List<Finding> findings = new ArrayList<>();
    if (!before.isEmpty()) {
      findings.addAll(schema(job, table, latest, before.get(before.size() - 1), limits));
      findings.addAll(nulls(job, table, latest, before, limits));
      growth(job, table, latest, before, limits).ifPresent(findings::add);
    }
    TableProfile now = latest.profile();
    String where = latest.target() == null ? table : latest.target() + "." + table;
    if (now.keyColumn() != null && now.parentTable() == null && now.keyDistinct() != null && now.keyDistinct() < now.rows()) {
      findings.add(Finding.failed(job, table, "key of " + table, String.format(Locale.ROOT, "%s repeats in run %s: %,d rows "
          + "but %,d distinct (%,d too many). A row was written twice (a merge that missed its delete, a load applied "
          + "twice): list them with SELECT %s, COUNT(*) FROM %s GROUP BY 1 HAVING COUNT(*) > 1, then rerun the job in "
          + "full (or drop the table so the next run makes it afresh).", now.keyColumn(), latest.run(), now.rows(),
          now.keyDistinct(), now.rows() - now.keyDistinct(), now.keyColumn(), where)));
    }
    if (now.orphans() != null && now.orphans() > limits.maxOrphans()) {
      findings.add(Finding.failed(job, table, "orphans of " + table, String.format(Locale.ROOT, "%,d of its %,d rows in run %s "
          + "have no parent row in %s (their _parent_id names no _observes_id there; %d allowed). The parent rows were "
          + "deleted or replaced without their children: rerun the job in full, and report it if it comes back.",
          now.orphans(), now.rows(), latest.run(), now.parentTable(), limits.maxOrphans())));
    }
    if (findings.stream().noneMatch(Finding::notable)) {
      return List.of(Finding.ok(job, table, "profile of " + table, String.format(Locale.ROOT, "%,d rows, %d columns in run %s; "
          + "schema, NULLs, key, orphans and volume as expected%s", now.rows(), now.columns().size(), latest.run(),
          before.isEmpty() ? " (no earlier profile to compare with)" : "")));
    }
    return findings.stream().filter(Finding::notable).toList();
  }

  private static List<Finding> schema(String job, String table, RecordedProfile latest, RecordedProfile previous,
      ProfileLimits limits) {
    List<Finding> findings = new ArrayList<>();
    String check = "schema of " + table;
    for (ColumnProfile column : latest.profile().columns()) {
      var was = previous.profile().column(column.name());
      if (was.isEmpty()) {
        findings.add(Finding.warned(job, table, check, "column " + column.name() + " (" + column.type() + lineage(column)
            + ") added in run " + latest.run() + ". Nothing breaks; tell the readers of " + table + " it is there."));
      } else if (!was.get().type().equals(column.type())) {
        findings.add(Finding.warned(job, table, check, "column " + column.name() + lineage(column) + " changed type from "
            + was.get().type() + " to " + column.type() + " in run " + latest.run() + " (since run " + previous.run()
            + "). Check the views and dashboards that compare or cast it."));
      }
    }
    for (ColumnProfile column : previous.profile().columns()) {
      if (latest.profile().column(column.name()).isPresent()) {
        continue;
      }
      String text = "column " + column.name() + " (" + column.type() + lineage(column) + ") was dropped in run " + latest.run()
          + " (it was in run " + previous.run() + ").";
      findings.add(limits.dropsColumns()
          ? Finding.warned(job, table, check, text + " The job drops columns on purpose (drops_columns).")
          : Finding.failed(job, table, check, text + " Readers of it now fail. If the source no longer sends it, set "
              + "checks: {tables: {" + table + ": {drops_columns: true}}} in the job's file of etl-jobs/; else find why "
              + "the run's schema lost it (the schema cache, the stream's declared columns) and rerun."));
    }
    return findings;
  }

  private static List<Finding> nulls(String job, String table, RecordedProfile latest, List<RecordedProfile> before,
      ProfileLimits limits) {
    List<Finding> findings = new ArrayList<>();
    TableProfile now = latest.profile();
    if (now.rows() < NULL_DRIFT_MIN_ROWS) {
      return findings;
    }
    for (ColumnProfile column : now.columns()) {
      List<Double> earlier = new ArrayList<>();
      for (RecordedProfile p : before) {
        if (p.profile().rows() > 0) {
          p.profile().column(column.name()).ifPresent(c -> earlier.add(c.nullFraction(p.profile().rows())));
        }
      }
      if (earlier.isEmpty()) {
        continue;
      }
      double median = median(earlier);
      double fraction = column.nullFraction(now.rows());
      if (fraction - median > limits.nullRateDrift()) {
        findings.add(Finding.failed(job, table, "nulls of " + table + "." + column.name(), String.format(Locale.ROOT,
            "%.1f%% NULL in run %s (%,d of %,d rows); the median of the %d runs before is %.1f%%, a rise beyond the limit "
            + "of %.0f points (null_rate_drift). Did the source stop sending %s, or rename it? Compare a recent source "
            + "record with the column's lineage.", 100 * fraction, latest.run(), column.nulls(), now.rows(), earlier.size(),
            100 * median, 100 * limits.nullRateDrift(), column.lineage() == null ? column.name() : column.lineage())));
      }
    }
    return findings;
  }

  private static java.util.Optional<Finding> growth(String job, String table, RecordedProfile latest,
      List<RecordedProfile> before, ProfileLimits limits) {
    List<Double> rows = before.stream().map(p -> (double) p.profile().rows()).toList();
    double median = median(rows);
    long now = latest.profile().rows();
    if (median <= 0 || now <= limits.maxGrowthFactor() * median) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Finding.failed(job, table, "volume of " + table, String.format(Locale.ROOT,
        "%,d rows in run %s, %.1f times the median of the %d runs before (%,.0f), beyond the limit of %.1f times "
        + "(max_growth_factor). Did the run read its source twice, or the source replay its history? Compare the rows "
        + "written per segment (observes runs --json); if the growth is real, raise max_growth_factor for this table.",
        now, latest.run(), now / median, rows.size(), median, limits.maxGrowthFactor())));
  }

  private static String lineage(ColumnProfile column) {
    return column.lineage() == null ? "" : ", from " + column.lineage();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
