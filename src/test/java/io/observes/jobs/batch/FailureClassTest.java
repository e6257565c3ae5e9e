package io.observes.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.batch.model.ContainerSummary;
import software.amazon.awssdk.services.batch.model.JobSummary;

/** The classification rules of {@link FailureClass}, case by case. */
class FailureClassTest {
  @Test
  void aStartedJobIsClassifiedByItsExitCode() {
    assertThat(FailureClass.of(true, 1, "Essential container in task exited")).isEqualTo(FailureClass.FAILED_WITH_EXIT_CODE);
    assertThat(FailureClass.of(true, 137, "Job attempt duration exceeded timeout")).isEqualTo(FailureClass.FAILED_WITH_EXIT_CODE);
    assertThat(FailureClass.of(true, null, "Host EC2 (instance i-0abc) terminated.")).isEqualTo(FailureClass.FAILED_WITHOUT_EXIT_CODE);
    assertThat(FailureClass.of(true, null, null)).isEqualTo(FailureClass.FAILED_WITHOUT_EXIT_CODE);
  }

  @Test
  void aCancellationIsNotAFailure() {
    assertThat(FailureClass.of(false, null, "Cancelled by user")).isEqualTo(FailureClass.CANCELLED);
    assertThat(FailureClass.of(false, null, "Terminated by user")).isEqualTo(FailureClass.CANCELLED);
    assertThat(FailureClass.of(true, 143, "CANCELED by the scheduler")).isEqualTo(FailureClass.CANCELLED);
    assertThat(FailureClass.CANCELLED.isFailure()).isFalse();
    assertThat(FailureClass.NEVER_STARTED.isFailure()).isTrue();
  }

  @Test
  void aJobThatNeverStartedForAnotherReasonIsNeverStarted() {
    assertThat(FailureClass.of(false, null, "Dependent Job failed")).isEqualTo(FailureClass.NEVER_STARTED);
    assertThat(FailureClass.of(false, null, null)).isEqualTo(FailureClass.NEVER_STARTED);
  }

  @Test
  void aSummaryBecomesAFailedJob() {
    FailedJob job = FailedJob.of(JobSummary.builder().jobName("observes-gitlab").jobId("id-1").createdAt(1_000L)
        .startedAt(2_000L).stoppedAt(3_000L).statusReason("Essential container in task exited")
        .container(ContainerSummary.builder().exitCode(2).reason("OutOfMemoryError: Container killed").build()).build());
    assertThat(job.failureClass()).isEqualTo(FailureClass.FAILED_WITH_EXIT_CODE);
    assertThat(job.endedAt()).isEqualTo(Instant.ofEpochMilli(3_000));
    assertThat(job.reason()).isEqualTo("Essential container in task exited (OutOfMemoryError: Container killed)");

    FailedJob unstopped = FailedJob.of(JobSummary.builder().jobName("observes-x").jobId("id-2").createdAt(1_000L)
        .statusReason("Dependent Job failed").build());
    assertThat(unstopped.failureClass()).isEqualTo(FailureClass.NEVER_STARTED);
    assertThat(unstopped.endedAt()).isEqualTo(Instant.ofEpochMilli(1_000));
    assertThat(unstopped.exitCode()).isNull();
  }
}
