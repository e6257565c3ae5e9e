package io.observes.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalogue's schedules, hour by hour (2026-11-23 is a Monday; AWS day-of-week 2 = Monday). */
class JobSchedulerTest {
  static final JobScheduler SCHEDULER = new JobScheduler(JobCatalogue.load(Path.of("etl-jobs")));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2026-11-23T03:00Z | dynamo-phase1 batch-stability dq-check dynamo-incremental",
      "2026-11-23T03:59Z | dynamo-phase1 batch-stability dq-check dynamo-incremental",
      "2026-11-28T03:00Z | dynamo-determine-schema batch-stability dq-check dynamo-incremental",
      "2026-11-22T03:00Z | batch-stability dq-check dynamo-incremental",
      "2026-11-23T02:00Z | compute-bills batch-stability dq-check dynamo-incremental",
      "2026-11-22T17:00Z | compute-bills batch-stability dq-check dynamo-incremental",
      "2026-11-23T17:00Z | batch-stability dq-check dynamo-incremental checkly compute-bills gitlab-ephemeral",
      "2026-11-23T15:00Z | batch-stability dq-check dynamo-incremental gitlab",
      "2026-11-23T12:00Z | batch-stability dq-check dynamo-incremental cancel-ci-jobs zoho-load",
      "2026-11-23T10:00Z | batch-stability dq-check dynamo-incremental zoho-prepare",
      "2026-11-23T09:00Z | batch-stability dq-check dynamo-incremental timedoctor-load",
      "2026-12-01T04:00Z | batch-stability dq-check dynamo-incremental timedoctor-backup",
      "2026-11-23T22:00-05:00 | batch-stability dq-check dynamo-incremental cancel-ci-jobs",
  })
  void dueJobs(String at, String expected) {
    List<String> due = SCHEDULER.due(ZonedDateTime.parse(at)).stream().map(JobSpec::name).sorted().toList();
    assertThat(due).containsExactlyInAnyOrder(expected.trim().split(" "));
  }
}
