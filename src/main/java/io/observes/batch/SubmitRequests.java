package io.observes.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.batch.model.ContainerOverrides;
import software.amazon.awssdk.services.batch.model.JobDependency;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.NodeOverrides;
import software.amazon.awssdk.services.batch.model.NodePropertyOverride;
import software.amazon.awssdk.services.batch.model.ResourceRequirement;
import software.amazon.awssdk.services.batch.model.ResourceType;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;

/**
 * SubmitJob requests built from the catalogue. The job definition (created by the Terraform from
 * the same catalogue) holds the command and secrets; the request adds what varies per submission:
 * the run id, the size, and for multi-node jobs the node count. Multi-node jobs take
 * {@code nodeOverrides} (for every node, range {@code 0:}), single-node ones {@code containerOverrides}.
 */
public final class SubmitRequests {
  private SubmitRequests() {}

  public static SubmitJobRequest of(JobSpec job, String runId, List<String> dependsOnJobIds) {
    List<KeyValuePair> environment = new ArrayList<>();
    job.environment().forEach((k, v) -> environment.add(KeyValuePair.builder().name(k).value(v).build()));
    environment.add(KeyValuePair.builder().name("OBSERVES_RUN_ID").value(runId).build());
    // A multi-node main node must give up waiting for silent nodes before Batch's timeout kills it.
    environment.add(KeyValuePair.builder().name("OBSERVES_JOB_TIMEOUT_SECONDS")
        .value(Integer.toString(job.timeoutMinutes() * 60)).build());
    // A failure alerts people only at the last attempt: the earlier ones Batch retries by itself.
    environment.add(KeyValuePair.builder().name("OBSERVES_JOB_ATTEMPTS").value(Integer.toString(job.attempts())).build());
    List<ResourceRequirement> resources = List.of(
        ResourceRequirement.builder().type(ResourceType.VCPU).value(Integer.toString(job.size().vcpus())).build(),
        ResourceRequirement.builder().type(ResourceType.MEMORY).value(Integer.toString(job.size().memoryMib())).build());
    ContainerOverrides container = ContainerOverrides.builder().environment(environment).resourceRequirements(resources).build();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("product", "observes");
    tags.put("job", job.name());
    tags.put("run", runId);
    SubmitJobRequest.Builder request = SubmitJobRequest.builder()
        .jobName(job.batchName())
        .jobQueue(job.size().queue())
        .jobDefinition(job.batchName())
        .retryStrategy(r -> r.attempts(job.attempts()))
        .timeout(t -> t.attemptDurationSeconds(job.timeoutMinutes() * 60))
        .tags(tags)
        .propagateTags(true);
    if (job.multiNode()) {
      request.nodeOverrides(NodeOverrides.builder().numNodes(job.nodes())
          .nodePropertyOverrides(NodePropertyOverride.builder().targetNodes("0:").containerOverrides(container).build())
          .build());
    } else {
      request.containerOverrides(container);
    }
    if (!dependsOnJobIds.isEmpty()) {
      request.dependsOn(dependsOnJobIds.stream().map(id -> JobDependency.builder().jobId(id).build()).toList());
    }
    return request.build();
  }
}
