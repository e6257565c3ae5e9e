package io.observes.jobs.quality;

import java.util.Objects;

/**
 * The outcome of one data-quality check of one pipeline: passed, passed with a warning (worth a
 * look, never a failed exit), or failed saying why and what to do; {@code table} names the warehouse
 * table a check on profiles is about (null for the pipeline's own checks).
 */
public record Finding(String job, String check, boolean passed, String message, boolean warning, String table) {
  public Finding {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(message, "message");
    if (warning && !passed) {
      throw new IllegalArgumentException("a finding either fails or warns: " + check);
    }
  }

  public Finding(String job, String check, boolean passed, String message) {
    this(job, check, passed, message, false, null);
  }

  static Finding failed(String job, String table, String check, String message) {
    return new Finding(job, check, false, message, false, table);
  }

  static Finding warned(String job, String table, String check, String message) {
    return new Finding(job, check, true, message, true, table);
  }

  static Finding ok(String job, String table, String check, String message) {
    return new Finding(job, check, true, message, false, table);
  }

  /** Failed or warned: what {@code observes check} prints and alerts. */
  public boolean notable() {
    return !passed || warning;
  }

  public String line() {
    return (!passed ? "FAILED " : warning ? "WARN   " : "ok     ") + job + " " + check + ": " + message;
  }
}
