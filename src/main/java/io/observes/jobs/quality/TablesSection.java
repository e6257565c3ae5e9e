package io.observes.jobs.quality;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiJson;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.TableProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's "Tables" section: per profiled table, failures first, its latest profile (every
 * column's type, NULL share and lineage, the column's comment: its source path), the findings of its
 * checks, a small trend of its rows and of the NULL share of the columns that moved in the window,
 * and the schema changes of the window.
 */
final class TablesSection {
  /** A column whose NULL share moved less than this over the window is left out of the trend. */
  static final double MOVED = 0.01;
  /** The trend charts at most this many moving columns, the ones that moved most. */
  static final int COLUMNS_CHARTED = 5;

  private TablesSection() {}

  /** One column of the latest profile. */
  record Column(String name, String type, String nulls, String nullPct, String lineage) {}

  /** One table. */
  record Table(String job, String name, String target, String colour, String status, String run, String profiled,
      String rows, String key, String orphans, long scanMs, String counts, List<Column> columns, List<Finding> checks, List<String> schemaChanges,
      String trendOption, int rank) {
    public String anchor() {
      return job + "-" + name;
    }

    public boolean noSchemaChanges() {
      return schemaChanges.isEmpty();
    }
  }

  static List<Table> of(List<PipelineHistory> histories, List<Finding> findings) {
    List<Table> tables = new ArrayList<>();
    for (PipelineHistory h : histories) {
      for (Map.Entry<String, List<RecordedProfile>> e : h.profiles().entrySet()) {
        List<Finding> checks = findings.stream()
            .filter(f -> f.job().equals(h.job().name()) && e.getKey().equals(f.table())).toList();
        tables.add(table(h.job().name(), e.getKey(), e.getValue(), checks));
      }
    }
    tables.sort(Comparator.comparingInt(Table::rank).thenComparing(Table::job).thenComparing(Table::name));
    return tables;
  }

  private static Table table(String job, String name, List<RecordedProfile> profiles, List<Finding> checks) {
    RecordedProfile latest = profiles.get(profiles.size() - 1);
    TableProfile p = latest.profile();
    boolean failed = checks.stream().anyMatch(f -> !f.passed());
    boolean warned = checks.stream().anyMatch(Finding::warning);
    List<Column> columns = p.columns().stream().map(c -> new Column(c.name(), c.type(), String.format(Locale.ROOT, "%,d",
        c.nulls()), String.format(Locale.ROOT, "%.1f%%", 100 * c.nullFraction(p.rows())), c.lineage() == null ? "" : c.lineage()))
        .toList();
    return new Table(job, name, latest.target(), failed ? "bad" : warned ? "warn" : "ok",
        failed ? "a check fails" : warned ? "a check warns" : "checks pass", latest.run(),
        latest.profiledAt().toString().substring(0, 16).replace('T', ' ') + " UTC", String.format(Locale.ROOT, "%,d", p.rows()),
        p.keyDistinct() == null ? "-" : String.format(Locale.ROOT, "%,d distinct %s", p.keyDistinct(), p.keyColumn()),
        p.orphans() == null ? "-" : String.format(Locale.ROOT, "%,d (parent %s)", p.orphans(), p.parentTable()),
        p.took().toMillis(), p.countsFrom() == TableProfile.CountsFrom.STAGED ? "rows and NULLs from the staged files"
            : "every count from a scan", columns,
        checks.stream().filter(Finding::notable).toList(), schemaChanges(profiles), DqReport.script(trend(profiles)),
        failed ? 0 : warned ? 1 : 2);
  }

  /** Each run whose columns differ from the run before: what was added, dropped or retyped. */
  static List<String> schemaChanges(List<RecordedProfile> profiles) {
    List<String> changes = new ArrayList<>();
    for (int i = 1; i < profiles.size(); i++) {
      TableProfile before = profiles.get(i - 1).profile();
      TableProfile now = profiles.get(i).profile();
      List<String> what = new ArrayList<>();
      for (TableProfile.ColumnProfile c : now.columns()) {
        before.column(c.name()).ifPresentOrElse(
            was -> {
              if (!was.type().equals(c.type())) {
                what.add(c.name() + " " + was.type() + " to " + c.type());
              }
            },
            () -> what.add("added " + c.name() + " " + c.type()));
      }
      before.columns().stream().filter(c -> now.column(c.name()).isEmpty()).forEach(c -> what.add("dropped " + c.name()));
      if (!what.isEmpty()) {
        changes.add("run " + profiles.get(i).run() + ": " + String.join("; ", what));
      }
    }
    return changes;
  }

  /** Rows per run, and on a second axis the NULL share (%) of the columns that moved most. */
  private static ObjectNode trend(List<RecordedProfile> profiles) {
    ObjectNode option = ApiJson.MAPPER.createObjectNode().put("animation", false);
    option.putObject("title").put("text", "Rows, and NULL % of the columns that moved").putObject("textStyle")
        .put("fontSize", 12);
    option.putObject("tooltip").put("trigger", "axis");
    option.putObject("grid").put("left", 60).put("right", 50).put("top", 34).put("bottom", 44);
    option.putObject("xAxis").put("type", "time");
    ArrayNode axes = option.putArray("yAxis");
    axes.addObject().put("type", "value").put("name", "rows");
    axes.addObject().put("type", "value").put("name", "NULL %").put("min", 0).put("max", 100);
    ArrayNode series = option.putArray("series");
    ArrayNode legend = option.putObject("legend").put("type", "scroll").put("bottom", 0).putArray("data");
    ArrayNode rows = series.addObject().put("type", "line").put("name", "rows").put("symbolSize", 5).putArray("data");
    profiles.forEach(p -> rows.addArray().add(p.profiledAt().toString()).add(p.profile().rows()));
    legend.add("rows");
    List<String> moved = moved(profiles);
    for (String column : moved) {
      ObjectNode s = series.addObject().put("type", "line").put("name", column + " NULL %").put("yAxisIndex", 1)
          .put("symbolSize", 4);
      s.putObject("lineStyle").put("type", "dashed");
      ArrayNode data = s.putArray("data");
      profiles.forEach(p -> p.profile().column(column).ifPresent(c -> data.addArray().add(p.profiledAt().toString())
          .add(Math.round(1000 * c.nullFraction(p.profile().rows())) / 10.0)));
      legend.add(column + " NULL %");
    }
    return option;
  }

  /** The columns whose NULL share spans more than {@link #MOVED} over the window, most moved first. */
  static List<String> moved(List<RecordedProfile> profiles) {
    Map<String, double[]> span = new java.util.LinkedHashMap<>();
    for (RecordedProfile p : profiles) {
      for (TableProfile.ColumnProfile c : p.profile().columns()) {
        double f = c.nullFraction(p.profile().rows());
        span.merge(c.name(), new double[] {f, f}, (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
    }
    return span.entrySet().stream().filter(e -> e.getValue()[1] - e.getValue()[0] > MOVED)
        .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[1] - e.getValue()[0]).reversed())
        .limit(COLUMNS_CHARTED).map(Map.Entry::getKey).toList();
  }
}
