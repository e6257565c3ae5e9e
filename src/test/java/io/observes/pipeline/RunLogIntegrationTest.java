package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The run log never fails a job because of what the data looks like, and never hides the job's error. */
class RunLogIntegrationTest extends PipelineStandIns {
  /** A record with a list nested under attribute names long enough to make a long table key. */
  static SourceRecord deep(int i, int nameLength) {
    Value list = Value.Array.list(List.of(new Value.Obj(Map.of("leaf", new Value.Text("v" + i)))));
    Value value = list;
    for (int level = 0; level < 5; level++) {
      value = new Value.Obj(Map.of("ä".repeat(nameLength / 2) + level, value));
    }
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("id", new Value.Text("i" + i));
    fields.put("nested", value);
    return new SourceRecord("deep", List.of("i" + i), new Value.Obj(fields));
  }

  @Test
  void longTableKeysAreLoggedInEveryPhaseAndTheStagedRowsGetTheirTableName() throws Exception {
    Pipeline p = pipeline("longkeys", warehouse, 8);
    RunId run = new RunId("r1");
    // Table keys of ~1,300 bytes (5 levels of 128-character, 256-byte names), beyond any identifier.
    p.run(run, Stream.of(deep(1, 256), deep(2, 256)), n -> {});

    List<Map<String, String>> rows = pg.rows("SELECT phase, table_name, table_key FROM observes_meta.run_tables "
        + "WHERE job = 'longkeys' AND table_key LIKE 'deep:%' ORDER BY phase");
    assertThat(rows).extracting(r -> r.get("phase")).containsExactly("load", "publish", "stage");
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get("table_key").getBytes(StandardCharsets.UTF_8).length).isGreaterThan(1000);
      assertThat(r.get("table_name")).isNotNull().hasSizeLessThanOrEqualTo(warehouse.dialect().maxIdentifierBytes());
    });
    // One table, one name in every phase: stage, load and publish rows join.
    assertThat(rows).extracting(r -> r.get("table_name")).containsOnly(rows.get(0).get("table_name"));
    assertThat(pg.rows("SELECT status FROM observes_meta.runs WHERE job = 'longkeys'"))
        .extracting(r -> r.get("status")).containsOnly("SUCCEEDED");
  }

  /** A source that runs {@code before} and then fails with {@code message} on its first record. */
  static Stream<SourceRecord> failing(String message, Runnable before) {
    Iterator<SourceRecord> it = new Iterator<>() {
      @Override
      public boolean hasNext() {
        before.run();
        throw new IllegalStateException(message);
      }

      @Override
      public SourceRecord next() {
        throw new IllegalStateException(message);
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, 0), false);
  }

  @Test
  void aLongUnicodeErrorIsCutByBytesInTheLogAndReachesTheCallerWhole() throws Exception {
    Pipeline p = pipeline("longerror", warehouse, 8);
    String message = "😀é" .repeat(3000) + " the end";
    Throwable thrown = catchThrowable(() -> p.stage(new RunId("r1"), Segment.only(), failing(message, () -> {}),
        Schema.empty(), n -> {}, false));
    assertThat(thrown).hasMessageContaining(message);
    String logged = pg.rows("SELECT error FROM observes_meta.runs WHERE job = 'longerror'").get(0).get("error");
    assertThat(logged.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(logged).endsWith(" [...]").startsWith("reading the source failed: 😀é😀é");
  }

  @Test
  void whenRecordingTheFailureFailsTooTheJobsOwnErrorIsTheOneReported() throws Exception {
    Pipeline p = pipeline("logbroken", warehouse, 8);
    RunId run = new RunId("r1");
    Throwable thrown = catchThrowable(() -> p.stage(run, Segment.only(), failing("the source is down", () -> {
      try {
        pg.execute("ALTER TABLE observes_meta.runs RENAME TO runs_gone");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }), Schema.empty(), n -> {}, false));
    pg.execute("ALTER TABLE observes_meta.runs_gone RENAME TO runs");
    assertThat(thrown).hasMessageContaining("the source is down");
    assertThat(thrown.getSuppressed()).singleElement().satisfies(s -> assertThat(s).hasMessageContaining("run log"));
  }
}
