package io.observes.jobs.quality;

import java.util.Objects;

/** The outcome of one data-quality check of one pipeline: passed, or failed saying why and what to do. */
public record Finding(String job, String check, boolean passed, String message) {
  public Finding {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(message, "message");
  }

  public String line() {
    return (passed ? "ok     " : "FAILED ") + job + " " + check + ": " + message;
  }
}
