package io.observes.jobs.quality;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiJson;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.TableProfile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code observes profile} shows of a run-log job's profiles: per run, how many tables were
 * profiled and how long their reads took; per table its latest profile (rows, key, orphans, each
 * column's type, NULLs and lineage, and where the counts come from: the staged files or a scan) and
 * its history (rows, distinct keys, orphans, time and source of the counts per run).
 */
public final class ProfileView {
  private final String job;
  private final Map<String, List<RecordedProfile>> byTable = new TreeMap<>();
  private final Map<String, List<RecordedProfile>> byRun = new LinkedHashMap<>();

  /** {@code profiles} oldest first, as the run log gives them. */
  public ProfileView(String job, List<RecordedProfile> profiles) {
    this.job = job;
    for (RecordedProfile p : profiles) {
      byTable.computeIfAbsent(p.profile().table(), t -> new ArrayList<>()).add(p);
      byRun.computeIfAbsent(p.run(), r -> new ArrayList<>()).add(p);
    }
  }

  public boolean isEmpty() {
    return byTable.isEmpty();
  }

  public void print(PrintWriter out) {
    if (isEmpty()) {
      out.println("No profile recorded for " + job + " in the window: profiles are taken when a run publishes.");
      out.flush();
      return;
    }
    out.printf("Profiles of %s: %d table(s), %d run(s).%n%n%-26s %-17s %7s %12s%n", job, byTable.size(), byRun.size(), "RUN",
        "PROFILED", "TABLES", "READ TIME");
    byRun.forEach((run, tables) -> out.printf(Locale.ROOT, "%-26s %-17s %7d %10.2f s%n", run,
        time(tables.get(0)), tables.size(), tables.stream().mapToLong(t -> t.profile().took().toMillis()).sum() / 1000.0));
    for (Map.Entry<String, List<RecordedProfile>> table : byTable.entrySet()) {
      RecordedProfile latest = table.getValue().get(table.getValue().size() - 1);
      TableProfile p = latest.profile();
      out.printf(Locale.ROOT, "%n%s.%s, run %s (%s): %,d rows%s%s; %s%n", latest.target(), table.getKey(), latest.run(),
          time(latest), p.rows(), p.keyColumn() == null ? "" : String.format(Locale.ROOT, ", %,d distinct %s", p.keyDistinct(),
              p.keyColumn()), p.orphans() == null ? "" : String.format(Locale.ROOT, ", %,d without a parent row in %s",
              p.orphans(), p.parentTable()), source(p));
      String row = "  %-40s %-16s %12s %7s  %s%n";
      out.printf(row, "COLUMN", "TYPE", "NULLS", "NULL %", "LINEAGE");
      for (TableProfile.ColumnProfile c : p.columns()) {
        out.printf(Locale.ROOT, row, c.name(), c.type(), String.format(Locale.ROOT, "%,d", c.nulls()),
            String.format(Locale.ROOT, "%.1f", 100 * c.nullFraction(p.rows())), c.lineage() == null ? "" : c.lineage());
      }
      out.printf("  history:%n  %-26s %-17s %12s %12s %8s %9s %-7s%n", "RUN", "PROFILED", "ROWS", "DISTINCT", "ORPHANS",
          "READ MS", "COUNTS");
      for (RecordedProfile h : table.getValue()) {
        TableProfile t = h.profile();
        out.printf(Locale.ROOT, "  %-26s %-17s %12s %12s %8s %9d %-7s%n", h.run(), time(h),
            String.format(Locale.ROOT, "%,d", t.rows()), t.keyDistinct() == null ? "-" : String.format(Locale.ROOT, "%,d",
                t.keyDistinct()), t.orphans() == null ? "-" : String.valueOf(t.orphans()), t.took().toMillis(),
            t.countsFrom().label());
      }
    }
    out.flush();
  }

  public void printJson(PrintWriter out) {
    ObjectNode root = ApiJson.MAPPER.createObjectNode().put("job", job);
    ArrayNode runs = root.putArray("runs");
    byRun.forEach((run, tables) -> runs.addObject().put("run", run).put("profiled_at", tables.get(0).profiledAt().toString())
        .put("tables", tables.size()).put("profile_ms", tables.stream().mapToLong(t -> t.profile().took().toMillis()).sum()));
    ArrayNode tables = root.putArray("tables");
    for (Map.Entry<String, List<RecordedProfile>> table : byTable.entrySet()) {
      ObjectNode t = tables.addObject().put("table", table.getKey());
      RecordedProfile latest = table.getValue().get(table.getValue().size() - 1);
      t.put("target", latest.target());
      ObjectNode l = profile(t.putObject("latest"), latest);
      ArrayNode columns = l.putArray("columns");
      for (TableProfile.ColumnProfile c : latest.profile().columns()) {
        columns.addObject().put("name", c.name()).put("type", c.type()).put("nulls", c.nulls())
            .put("null_fraction", c.nullFraction(latest.profile().rows())).put("lineage", c.lineage());
      }
      ArrayNode history = t.putArray("history");
      for (RecordedProfile h : table.getValue()) {
        ObjectNode point = profile(history.addObject(), h);
        ObjectNode nulls = point.putObject("nulls");
        h.profile().columns().forEach(c -> nulls.put(c.name(), c.nulls()));
      }
    }
    out.println(root.toPrettyString());
    out.flush();
  }

  private static ObjectNode profile(ObjectNode o, RecordedProfile r) {
    TableProfile p = r.profile();
    o.put("run", r.run()).put("profiled_at", r.profiledAt().toString()).put("rows", p.rows()).put("key_column", p.keyColumn());
    if (p.keyDistinct() != null) {
      o.put("key_distinct", p.keyDistinct());
    }
    if (p.parentTable() != null) {
      o.put("parent_table", p.parentTable()).put("orphans", p.orphans());
    }
    return o.put("profile_ms", p.took().toMillis()).put("counts_from", p.countsFrom().label());
  }

  /** Where the rows and NULLs shown come from, in words. */
  static String source(TableProfile p) {
    return p.countsFrom() == TableProfile.CountsFrom.STAGED
        ? "rows and NULLs from the staged files (the swap published exactly them), keys and orphans read from the table"
        : "every count read from the table";
  }

  private static String time(RecordedProfile p) {
    return p.profiledAt().toString().substring(0, 16).replace('T', ' ');
  }
}
