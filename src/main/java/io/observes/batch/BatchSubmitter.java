package io.observes.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.JobStatus;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;

/**
 * Submits catalogue jobs to AWS Batch. A job whose name is already SUBMITTED, PENDING, RUNNABLE,
 * STARTING or RUNNING in its queue is skipped, not doubled. A job with dependents is submitted with
 * them as a chain: each dependent waits for its predecessors through {@code dependsOn}, and every
 * job of the chain gets the same run id. {@code dryRun} prints the exact requests and submits nothing.
 */
public final class BatchSubmitter {
  static final List<JobStatus> ACTIVE =
      List.of(JobStatus.SUBMITTED, JobStatus.PENDING, JobStatus.RUNNABLE, JobStatus.STARTING, JobStatus.RUNNING);

  private final BatchClient batch;
  private final JobCatalogue catalogue;
  private final PrintWriter out;
  private final boolean dryRun;

  public BatchSubmitter(BatchClient batch, JobCatalogue catalogue, PrintWriter out, boolean dryRun) {
    this.batch = dryRun ? batch : Objects.requireNonNull(batch, "batch");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.out = Objects.requireNonNull(out, "out");
    this.dryRun = dryRun;
  }

  /** What happened to one job: submitted (with its id), skipped as a duplicate, or printed (dry run). */
  public record Outcome(String job, String jobId, boolean skipped) {}

  /** Submits {@code job} and, after it, every job that depends on it; returns what happened to each. */
  public List<Outcome> submitChain(String job, String runId) {
    Map<String, Outcome> done = new LinkedHashMap<>();
    submit(catalogue.require(job), runId, done);
    return new ArrayList<>(done.values());
  }

  private void submit(JobSpec job, String runId, Map<String, Outcome> done) {
    if (done.containsKey(job.name())) {
      return;
    }
    List<String> predecessors = new ArrayList<>();
    for (String dependency : job.dependsOn()) {
      Outcome before = done.get(dependency);
      if (before != null && !before.skipped()) {
        predecessors.add(before.jobId());
      }
    }
    if (!job.dependsOn().isEmpty() && predecessors.isEmpty() && !done.isEmpty()) {
      // Its predecessor was skipped as already running: a new chain link would not wait for it.
      out.printf("skipped %s: the job it depends on is already running; submit the chain again once it is done%n", job.name());
      done.put(job.name(), new Outcome(job.name(), null, true));
      return;
    }
    Outcome outcome = submitOne(job, runId, predecessors);
    done.put(job.name(), outcome);
    if (!outcome.skipped()) {
      for (JobSpec next : catalogue.dependents(job.name())) {
        if (done.keySet().containsAll(next.dependsOn())) {
          submit(next, runId, done);
        }
      }
    }
  }

  private Outcome submitOne(JobSpec job, String runId, List<String> predecessors) {
    SubmitJobRequest request = SubmitRequests.of(job, runId, predecessors);
    if (dryRun) {
      out.println(prettyJson(request));
      out.flush();
      return new Outcome(job.name(), "<" + job.batchName() + " job id>", false);
    }
    String active = activeJob(job);
    if (active != null) {
      out.printf("skipped %s: job %s of that name is already %s in %s%n", job.name(), active.split(" ")[0],
          active.split(" ")[1], job.size().queue());
      out.flush();
      return new Outcome(job.name(), null, true);
    }
    String id = batch.submitJob(request).jobId();
    out.printf("submitted %s as job %s (run %s)%n", job.name(), id, runId);
    out.flush();
    return new Outcome(job.name(), id, false);
  }

  /** "id STATUS" of a job of the same name still active in the queue, or null. */
  private String activeJob(JobSpec job) {
    for (JobStatus status : ACTIVE) {
      var page = batch.listJobsPaginator(b -> b.jobQueue(job.size().queue()).jobStatus(status)).jobSummaryList();
      for (var summary : page) {
        if (summary.jobName().equals(job.batchName())) {
          return summary.jobId() + " " + status;
        }
      }
    }
    return null;
  }

  static String prettyJson(SubmitJobRequest request) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(RequestJson.of(request));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

}
