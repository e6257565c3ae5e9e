package io.observes.jobs.quality;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.observes.http.ApiJson;
import io.observes.warehouse.RejectionCount;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The data-quality dashboard as one self-contained HTML file: a tile per catalogue pipeline (status
 * colour, last run, last success, freshness against its SLA, success rate), the latest failures
 * with their error and the command to retry, the failing checks, the profiled tables ({@link TablesSection}),
 * and per pipeline the success and
 * failure shares, a duration trend, the rows loaded per table over time and the rejected values
 * with their top reasons. The charts are ECharts, its library inlined from the bundled webjar, so
 * the file needs no network to be read.
 */
public final class DqReport {
  static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.5.0/echarts.min.js";
  private static final int TABLES_CHARTED = 8;

  private DqReport() {}

  /** A pipeline's tile. */
  public record Tile(String name, String colour, String statusText, String lastRun, String lastSuccess, String freshness,
      String successRate) {}

  /** A failed or lost run. */
  public record Failure(String job, String run, String started, String status, String error, String retry) {}

  /** The values a run rejected. */
  public record Rejected(String run, long values) {}

  /** A pipeline's section. */
  public record Pipeline(String name, int runs, long succeeded, long failed, String successPct, String failurePct, String logJob,
      String logPhase, String durationOption, String rowsOption, List<Rejected> rejected, List<RejectionCount> reasons,
      String target) {
    public boolean noRejected() {
      return rejected.isEmpty();
    }

    public boolean hasReasons() {
      return !reasons.isEmpty();
    }
  }

  /** Everything the template shows. */
  public record View(String generated, String since, int pipelineCount, long failingChecks, List<Tile> tiles,
      List<Failure> failures, List<Finding> checks, List<Pipeline> pipelines, List<TablesSection.Table> tables,
      String echarts) {
    public boolean noTables() {
      return tables.isEmpty();
    }

    public boolean noFailures() {
      return failures.isEmpty();
    }

    public boolean noChecks() {
      return checks.isEmpty();
    }
  }

  public static String render(List<PipelineHistory> histories, List<Finding> findings, Instant since, Instant now) {
    List<Tile> tiles = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    List<Pipeline> pipelines = new ArrayList<>();
    for (PipelineHistory h : histories) {
      tiles.add(tile(h, findings, now));
      h.runs().stream().filter(RunGroup::broken).limit(3).forEach(r -> failures.add(new Failure(h.job().name(), r.run(),
          time(r.started()), r.status(), r.error() == null ? "(no error recorded: the run was lost)" : r.error(),
          HealthChecks.retry(h).substring("Retry: ".length()))));
      pipelines.add(pipeline(h, now));
    }
    failures.sort(Comparator.comparing(Failure::started).reversed());
    List<Finding> failing = findings.stream().filter(f -> !f.passed()).toList();
    View view = new View(time(now), time(since), histories.size(), failing.size(), tiles,
        new ArrayList<>(failures.stream().limit(20).toList()), new ArrayList<>(failing), pipelines,
        TablesSection.of(histories, findings), echarts());
    Mustache template = new DefaultMustacheFactory("report").compile("dq.mustache");
    StringWriter out = new StringWriter();
    template.execute(out, view);
    return out.toString();
  }

  private static Tile tile(PipelineHistory h, List<Finding> findings, Instant now) {
    boolean failingCheck = findings.stream().anyMatch(f -> f.notable() && f.job().equals(h.job().name()));
    Optional<RunGroup> last = h.last();
    String colour;
    String status;
    if (last.isEmpty()) {
      colour = h.stale(now) ? "bad" : "idle";
      status = "no run in the window";
    } else if (last.get().broken()) {
      colour = "bad";
      status = "last run " + last.get().status();
    } else if (h.stale(now)) {
      colour = "bad";
      status = "stale: beyond its SLA";
    } else if (failingCheck) {
      colour = "warn";
      status = findings.stream().anyMatch(f -> !f.passed() && f.job().equals(h.job().name())) ? "a check fails"
          : "a check warns";
    } else if (last.get().status().equals("RUNNING")) {
      colour = "ok";
      status = "running";
    } else {
      colour = "ok";
      status = "healthy";
    }
    String freshness = h.age(now).map(a -> ago(a.toMinutes()) + (h.job().slaHours() == null ? "" : " / SLA " + h.job().slaHours()
        + " h")).orElse(h.job().slaHours() == null ? "no SLA" : "none / SLA " + h.job().slaHours() + " h");
    return new Tile(h.job().name(), colour, status, last.map(r -> time(r.started()) + " " + r.status()).orElse("-"),
        h.lastSuccess().map(r -> time(r.finished() == null ? r.started() : r.finished())).orElse("-"), freshness,
        h.successRate().map(DqReport::percent).orElse("-"));
  }

  private static Pipeline pipeline(PipelineHistory h, Instant now) {
    long succeeded = h.runs().stream().filter(RunGroup::succeeded).count();
    long failed = h.runs().stream().filter(RunGroup::broken).count();
    long finished = succeeded + failed;
    List<Rejected> rejected = new ArrayList<>();
    h.runs().stream().filter(r -> h.rejected(r) > 0).limit(10).forEach(r -> rejected.add(new Rejected(r.run(), h.rejected(r))));
    String target = h.runs().stream().map(RunGroup::target).filter(t -> t != null).findFirst().orElse("");
    return new Pipeline(h.job().name(), h.runs().size(), succeeded, failed, finished == 0 ? "-" : percent((double) succeeded / finished),
        finished == 0 ? "-" : percent((double) failed / finished), h.job().health().logJob(), h.job().health().logPhase().orElse(null),
        script(durationOption(h, now)), script(rowsOption(h)), rejected, h.rejections(), target);
  }

  private static ObjectNode durationOption(PipelineHistory h, Instant now) {
    ObjectNode option = base("Duration of each run, and the lag of its data when it ended (minutes)");
    ArrayNode points = ApiJson.MAPPER.createArrayNode();
    ArrayNode lags = ApiJson.MAPPER.createArrayNode();
    List<RunGroup> oldestFirst = new ArrayList<>(h.runs());
    oldestFirst.sort(Comparator.comparing(RunGroup::started));
    for (RunGroup r : oldestFirst) {
      ObjectNode point = points.addObject();
      point.putArray("value").add(r.started().toString()).add(minutes(r.duration(now)));
      point.putObject("itemStyle").put("color", r.succeeded() ? "#1e8e3e" : r.broken() ? "#d93025" : "#80868b");
      if (r.succeeded()) {
        // How old the data was once published: from when it was read (an export's snapshot time) to the run's end.
        lags.addArray().add(r.started().toString()).add(minutes(r.lag(now)));
      }
    }
    ArrayNode series = option.putArray("series");
    series.addObject().put("type", "line").put("name", "minutes").put("symbolSize", 8).set("data", points);
    ObjectNode lag = series.addObject().put("type", "line").put("name", "lag of the data (minutes)").put("symbolSize", 5);
    lag.putObject("lineStyle").put("type", "dashed");
    lag.set("data", lags);
    option.putObject("legend").put("bottom", 0).putArray("data").add("minutes").add("lag of the data (minutes)");
    return option;
  }

  private static double minutes(java.time.Duration d) {
    return Math.round(d.toSeconds() / 6.0) / 10.0;
  }

  private static ObjectNode rowsOption(PipelineHistory h) {
    ObjectNode option = base("Rows loaded per table");
    ArrayNode series = option.putArray("series");
    List<Map.Entry<String, List<PipelineHistory.TablePoint>>> tables = new ArrayList<>(h.tables().entrySet());
    tables.sort(Comparator.comparingLong((Map.Entry<String, List<PipelineHistory.TablePoint>> e) ->
        e.getValue().stream().mapToLong(PipelineHistory.TablePoint::rows).max().orElse(0)).reversed());
    ArrayNode legend = option.putObject("legend").put("type", "scroll").put("bottom", 0).putArray("data");
    for (Map.Entry<String, List<PipelineHistory.TablePoint>> table : tables.subList(0, Math.min(TABLES_CHARTED, tables.size()))) {
      ObjectNode s = series.addObject().put("type", "line").put("name", table.getKey()).put("symbolSize", 6);
      ArrayNode data = s.putArray("data");
      table.getValue().forEach(p -> data.addArray().add(p.started().toString()).add(p.rows()));
      legend.add(table.getKey());
    }
    if (tables.isEmpty()) {
      option.putObject("graphic").put("type", "text").put("left", "center").put("top", "middle")
          .putObject("style").put("text", "no table loaded in the window").put("fill", "#5f6368");
    }
    return option;
  }

  private static ObjectNode base(String title) {
    ObjectNode option = ApiJson.MAPPER.createObjectNode().put("animation", false);
    option.putObject("title").put("text", title).putObject("textStyle").put("fontSize", 13);
    option.putObject("tooltip").put("trigger", "axis");
    option.putObject("grid").put("left", 60).put("right", 20).put("top", 40).put("bottom", 50);
    option.putObject("xAxis").put("type", "time");
    option.putObject("yAxis").put("type", "value");
    return option;
  }

  /**
   * JSON safe inside a script element: {@code <}, {@code >} and {@code &} as JSON escapes, so no name
   * can end the element ({@code </script>}) or switch the HTML tokenizer into its escaped states
   * ({@code <!--} then {@code <script>}: the real {@code </script>} would no longer end it, and the rest
   * of the page would be swallowed), and U+2028/U+2029, which end a line in older JavaScript. They
   * occur only inside JSON strings (JSON's own syntax is none of them), where the escape means the
   * same character, so the text is replaced as a whole.
   */
  static String script(ObjectNode json) {
    return json.toString().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  private static String echarts() {
    try (InputStream in = DqReport.class.getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + ECHARTS + " (the ECharts webjar); rebuild it with mvn package");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ECHARTS, e);
    }
  }

  private static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.MINUTES).toString().replace('T', ' ').replace("Z", " UTC");
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  private static String ago(long minutes) {
    return minutes < 120 ? minutes + " min ago" : String.format(Locale.ROOT, "%.1f h ago", minutes / 60.0);
  }
}
