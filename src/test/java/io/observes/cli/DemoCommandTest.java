package io.observes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.config.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  @Test
  void theDemoRunsTheWholeEtlOnEmbeddedStandIns() {
    CommandLine cli = Main.commandLine(new Environment(Map.of()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("demo", "--items", "400", "--segments", "3");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Seeded 400 items")
        .contains("Running all phases with 3 segments")
        .containsPattern("vulnerability_metadata\\s+90 rows")
        .containsPattern("finding_metadata\\s+20 rows")
        // One table per entity type: several facets share each key prefix.
        .contains("Facets found")
        .containsPattern("vulnerability_historic_state\\s+40\\s+\\d+")
        .containsPattern("organization_unreliable_indicators\\s+10\\s+\\d+")
        .contains("git_root_metadata", "ip_root_metadata", "url_root_metadata", "git_root_historic_state",
            "url_root_historic_state", "toe_lines_metadata", "notification__user")
        .contains("stage", "prepare", "load", "publish")
        .containsPattern("Profiling the published tables \\(part of publish, one read each at most\\): \\d+\\.\\d\\d s, "
            + "\\d+\\.\\d% of the load phase");
  }

  @Test
  void badDemoOptionsAreUsageErrors() {
    CommandLine cli = Main.commandLine(new Environment(Map.of()));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("demo", "--items", "0")).isEqualTo(2);
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--incremental", "--items", "9")).isEqualTo(2);
    assertThat(err.toString()).contains("--items 10 or more");
  }
}
