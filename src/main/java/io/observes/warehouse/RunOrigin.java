package io.observes.warehouse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run-log row comes from: the AWS Batch job and attempt (when the process is one) and the
 * host, so that a failed or lost run can be found in Batch and CloudWatch.
 */
public record RunOrigin(String batchJob, Integer attempt, String host) {
  /** Not from a Batch job. */
  public static final RunOrigin LOCAL = new RunOrigin(null, null, localHost());

  /** From {@code AWS_BATCH_JOB_ID} and {@code AWS_BATCH_JOB_ATTEMPT} of {@code env}, and this host. */
  public static RunOrigin from(Map<String, String> env) {
    String job = Optional.ofNullable(env.get("AWS_BATCH_JOB_ID")).filter(v -> !v.isBlank()).orElse(null);
    Integer attempt = null;
    try {
      attempt = env.get("AWS_BATCH_JOB_ATTEMPT") == null ? null : Integer.valueOf(env.get("AWS_BATCH_JOB_ATTEMPT").strip());
    } catch (NumberFormatException e) {
      // Batch writes a number; anything else is not worth failing a job over
    }
    return new RunOrigin(job, attempt, localHost());
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
