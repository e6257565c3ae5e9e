package io.observes.alert;

import io.observes.config.Environment;
import java.util.Optional;

/**
 * Which attempt of an AWS Batch job this process is: {@code AWS_BATCH_JOB_ATTEMPT} (Batch's, 1-based)
 * of {@code OBSERVES_JOB_ATTEMPTS} (the catalogue's, set by the job definition and the submission).
 * A failure alerts people only at the last attempt: the earlier ones Batch retries by itself.
 */
public record Attempt(String batchJob, int number, Optional<Integer> of) {
  /** The attempt of the Batch job this process runs as, if it runs as one. */
  public static Optional<Attempt> of(Environment env) {
    return env.get("AWS_BATCH_JOB_ID").map(job -> new Attempt(job, number(env, "AWS_BATCH_JOB_ATTEMPT").orElse(1),
        number(env, "OBSERVES_JOB_ATTEMPTS")));
  }

  /** The last one, or one of unknown count (better an alert too many than a failure nobody hears of). */
  public boolean last() {
    return of.map(n -> number >= n).orElse(true);
  }

  private static Optional<Integer> number(Environment env, String name) {
    try {
      return env.get(name).map(Integer::valueOf);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
