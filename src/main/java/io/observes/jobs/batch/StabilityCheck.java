package io.observes.jobs.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.JobStatus;

/**
 * Lists a queue's FAILED jobs and classifies those in scope. Every page of {@code ListJobs} is
 * read (the paginator follows {@code nextToken}): a failure on page two is as real as one on page
 * one. Only one status is asked for because Batch ends cancelled and terminated jobs as FAILED
 * too; {@link FailureClass} tells them apart.
 */
public final class StabilityCheck {
  private static final Comparator<FailedJob> BY_END =
      Comparator.comparing(FailedJob::endedAt).thenComparing(FailedJob::jobName).thenComparing(FailedJob::jobId);

  private final BatchClient batch;

  public StabilityCheck(BatchClient batch) {
    this.batch = Objects.requireNonNull(batch, "batch");
  }

  public StabilityReport run(CheckScope scope) {
    List<FailedJob> reported = new ArrayList<>();
    int cancelledLeftOut = 0;
    for (String queue : scope.queues()) {
      for (var summary : batch.listJobsPaginator(b -> b.jobQueue(queue).jobStatus(JobStatus.FAILED)).jobSummaryList()) {
        FailedJob job = FailedJob.of(summary);
        if (!scope.covers(job)) {
          continue;
        }
        if (scope.reports(job.failureClass())) {
          reported.add(job);
        } else {
          cancelledLeftOut++;
        }
      }
    }
    reported.sort(BY_END);
    return new StabilityReport(scope, reported, cancelledLeftOut);
  }
}
