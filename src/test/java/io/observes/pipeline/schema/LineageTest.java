package io.observes.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.Streams;
import io.observes.pipeline.WriteMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineageTest {
  private static SourcePath path(String text) {
    return SourcePath.parse(text);
  }

  @Test
  void aRecordAsSentIsCommentedWithItsOwnPaths() {
    for (String p : List.of("id", "pipeline.id", "labels[]", "assignees[].name", "a\\.b.c", "m[][].x")) {
      assertThat(Lineage.AS_SENT.comment(path(p))).isEqualTo(p);
    }
  }

  @Test
  void aRenamedOrReducedFieldCarriesTheFieldItCameFromAndWhatIsBelowIt() {
    Lineage jobs = Lineage.AS_SENT.with("job_id", new Lineage.From(path("id")))
        .with("pipe_id", new Lineage.From(path("pipeline.id")))
        .with("runner", new Lineage.From(path("executor.runner")));

    assertThat(jobs.comment(path("job_id"))).isEqualTo("id");
    assertThat(jobs.comment(path("pipe_id"))).isEqualTo("pipeline.id");
    assertThat(jobs.comment(path("runner.tags[]"))).isEqualTo("executor.runner.tags[]");
    assertThat(jobs.comment(path("name"))).as("a field kept as sent").isEqualTo("name");
  }

  @Test
  void aSubObjectsColumnsStartWithItsPathUnlessTheyComeFromElsewhere() {
    Lineage api = Lineage.AS_SENT.at(path("apiCheckResult")).with("id", new Lineage.From(path("id")))
        .with("check_id", new Lineage.From(path("checkId")));

    assertThat(api.comment(path("response.status"))).isEqualTo("apiCheckResult.response.status");
    assertThat(api.comment(path("assertions[].source"))).isEqualTo("apiCheckResult.assertions[].source");
    assertThat(api.comment(path("id"))).isEqualTo("id");
    assertThat(api.comment(path("check_id"))).isEqualTo("checkId");
    assertThat(Lineage.AS_SENT.at(path("tag_list[]")).comment(path("x"))).isEqualTo("tag_list[].x");
  }

  @Test
  void aDerivedFieldSaysWhatItIsForItselfAndEverythingBelowIt() {
    Lineage reports = Lineage.AS_SENT.with("report_from", new Lineage.Derived("the start of the window requested"));

    assertThat(reports.comment(path("report_from"))).isEqualTo("derived: the start of the window requested");
    assertThat(reports.comment(path("report_from.x[]"))).isEqualTo("derived: the start of the window requested");
  }

  @Test
  void aDerivationThatSaysNothingOrTooMuchIsRefused() {
    assertThatThrownBy(() -> new Lineage.Derived(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Lineage.Derived("x".repeat(Lineage.MAX_DESCRIPTION_BYTES + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Lineage.From(SourcePath.root())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamsCommentEveryTableOfAStreamAndThePipelinesOwnRejectedTable() {
    StreamSpec jobs = StreamSpec.of("jobs", WriteMode.MERGE, "project_id", "job_id").from("job_id", "id")
        .derived("project_id", "the project of the request");
    Streams streams = new Streams(List.of(jobs));

    assertThat(streams.comment(TableKey.root("jobs"), path("job_id"))).isEqualTo("id");
    assertThat(streams.comment(new TableKey("jobs", path("tag_list[]")), path("tag_list[]"))).isEqualTo("tag_list[]");
    assertThat(streams.comment(TableKey.root("undeclared"), path("a.b"))).isEqualTo("a.b");
    for (String column : List.of("table_key", "row_id", "source_path", "reason", "raw_value", "raw_part", "raw_parts")) {
      assertThat(streams.comment(TableKey.root(Schema.REJECTED_TABLE), path(column))).startsWith(Lineage.DERIVED);
    }
    for (Bookkeeping b : Bookkeeping.values()) {
      assertThat(b.comment()).startsWith(Lineage.DERIVED);
    }
  }

  @Test
  void aRetiredTableIsNoStreamsName() {
    StreamSpec jobs = StreamSpec.of("jobs", WriteMode.MERGE, "id");

    assertThat(new Streams(List.of(jobs)).retiring("job_tags").retired()).containsExactly("job_tags");
    assertThatThrownBy(() -> new Streams(List.of(jobs)).retiring("jobs")).hasMessageContaining("retired");
    assertThatThrownBy(() -> new Streams(List.of(jobs)).retiring(Schema.REJECTED_TABLE)).hasMessageContaining("retired");
  }
}
