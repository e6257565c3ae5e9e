package io.observes.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.batch.JobCatalogue;
import io.observes.batch.JobSpec;
import io.observes.warehouse.RejectionCount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names from the data (a table of a source path, a rejection reason, an error) in the report, chosen
 * to end or hijack a script element: the page stays whole. Checked the way a browser's HTML tokenizer
 * reads script elements (HTML Living Standard, "script data" states: {@code <!--} then
 * {@code <script} makes the next {@code </script>} not end the element), and by the JSON reading back.
 */
class ReportScriptTest {
  /** Opens an HTML comment and a script inside it, and never closes the comment. */
  static final String HOSTILE = "t<!--<script>alert(1)</script>\u2028x\u2029y&amp;</SCRIPT >";
  static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

  /** Where the script element whose content starts at {@code from} ends (its {@code </script}), as the tokenizer finds it. */
  static int scriptEnd(String html, int from) {
    int state = 0; // 0 script data, 1 escaped (after <!--), 2 double escaped (then <script)
    for (int i = from; i < html.length(); i++) {
      if (state == 0 && html.startsWith("<!--", i)) {
        state = 1;
        i += 3;
      } else if (state != 0 && html.startsWith("-->", i)) {
        state = 0;
        i += 2;
      } else if (tag(html, i, "</script")) {
        if (state != 2) {
          return i;
        }
        state = 1;
      } else if (state == 1 && tag(html, i, "<script")) {
        state = 2;
      }
    }
    return -1;
  }

  static boolean tag(String html, int at, String name) {
    int next = at + name.length();
    return html.regionMatches(true, at, name, 0, name.length()) && next < html.length()
        && "\t\n\f />".indexOf(html.charAt(next)) >= 0;
  }

  /** The script elements' contents, in document order, as the tokenizer splits the page. */
  static List<String> scripts(String html, List<Integer> ends) {
    List<String> contents = new ArrayList<>();
    int at = 0;
    while ((at = indexOfTag(html, at, "<script")) >= 0) {
      int start = html.indexOf('>', at) + 1;
      int end = scriptEnd(html, start);
      assertThat(end).as("the script element at %d ends", at).isPositive();
      contents.add(html.substring(start, end));
      ends.add(end);
      at = end;
    }
    return contents;
  }

  static int indexOfTag(String html, int from, String name) {
    for (int i = html.indexOf('<', from); i >= 0; i = html.indexOf('<', i + 1)) {
      if (tag(html, i, name)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void namesThatWouldEndOrHijackAScriptElementLeaveThePageWhole() throws Exception {
    List<JobSpec> jobs = JobCatalogue.bundled().jobs();
    List<PipelineHistory> histories = new ArrayList<>();
    for (JobSpec job : jobs) {
      RunGroup run = new RunGroup("r-" + job.name(), NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2)),
          "SUCCEEDED", 10, 1, null, HOSTILE, null);
      histories.add(new PipelineHistory(job, List.of(run),
          Map.of(HOSTILE, List.of(new PipelineHistory.TablePoint(run.run(), run.started(), 10))), Map.of(),
          List.of(new RejectionCount(HOSTILE, 1)), false, false));
    }

    String html = DqReport.render(histories, List.of(new Finding(jobs.get(0).name(), "rows of " + HOSTILE, false, HOSTILE)),
        NOW.minus(Duration.ofDays(30)), NOW);

    List<Integer> ends = new ArrayList<>();
    List<String> scripts = scripts(html, ends);
    // A duration and a rows chart per pipeline, ECharts, and the script that draws them: nothing swallowed.
    assertThat(scripts).hasSize(2 * jobs.size() + 2);
    assertThat(scripts.get(scripts.size() - 1)).contains("echarts.init");
    assertThat(html.substring(ends.get(ends.size() - 1))).startsWith("</script>\n</body>\n</html>");
    ObjectMapper json = new ObjectMapper();
    for (String data : scripts.subList(0, 2 * jobs.size())) {
      assertThat(data).as("data in a script element").doesNotContain("<", ">", "&", "\u2028", "\u2029");
      JsonNode option = json.readTree(data);
      if (option.path("title").path("text").asText().startsWith("Rows")) {
        assertThat(option.path("series").get(0).path("name").asText()).isEqualTo(HOSTILE);
        assertThat(option.path("legend").path("data").get(0).asText()).isEqualTo(HOSTILE);
      }
    }
    // Outside scripts the name is HTML text, escaped.
    assertThat(html).contains("t&lt;!--&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
    assertThat(html.split("<section class=\"pipeline\"", -1)).hasSize(jobs.size() + 1);
    rendered(html, jobs.size());
  }

  @TempDir Path dir;

  /** The page in headless Chromium, when there is one: every chart drawn, no script error. */
  void rendered(String html, int pipelines) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    assumeTrue(Files.isExecutable(chromium), "no headless Chromium at /usr/bin/chromium: the page was not rendered");
    Path page = dir.resolve("hostile.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0", "--dump-dom",
        page.toUri().toString())
        .redirectOutput(dir.resolve("dom.html").toFile()).redirectError(dir.resolve("console.txt").toFile()).start();
    assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("Chromium rendered the page within 120 s").isTrue();
    String dom = Files.readString(dir.resolve("dom.html"), StandardCharsets.UTF_8);
    String console = Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
    assertThat(console).as("the browser console").doesNotContain("Uncaught").doesNotContain("alert(1)");
    assertThat(ObservabilityTest.chartContents(dom)).hasSize(2 * pipelines).allSatisfy(c -> assertThat(c).contains("<svg"));
    assertThat(dom.split("<section class=\"pipeline\"", -1)).as("sections in the DOM").hasSize(pipelines + 1);
  }
}
