package io.observes.pipeline;

import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.warehouse.RunQuery;
import java.time.Duration;

/**
 * The times a job's runs work within, read from its environment: how often a working phase beats,
 * how long it may make no progress, and how long its run lease lasts.
 */
public final class JobTimes {
  /** The run lease of a job outside AWS Batch: longer than any run, short enough to recover a dead one the same day. */
  public static final Duration DEFAULT_LEASE = Duration.ofHours(6);

  private JobTimes() {}

  /**
   * How often a working phase writes its heartbeat: {@code OBSERVES_HEARTBEAT_SECONDS}, default and
   * at most one minute, because readers call a run LOST after three minutes without one.
   */
  public static Duration heartbeat(Environment env) {
    int seconds = env.integer("OBSERVES_HEARTBEAT_SECONDS").orElse((int) RunLog.HEARTBEAT.toSeconds());
    if (seconds < 1 || seconds > RunLog.HEARTBEAT.toSeconds()) {
      throw new ConfigException("OBSERVES_HEARTBEAT_SECONDS must be between 1 and "
          + RunLog.HEARTBEAT.toSeconds() + " (a run without a heartbeat for " + RunQuery.LOST_AFTER.toMinutes()
          + " minutes reads as LOST), was " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * How long a phase reading a source may report no progress before it is stopped and fails:
   * {@code OBSERVES_STALL_SECONDS}, default {@link RunLog#STALL_LIMIT} (why that long: see there), at
   * least a minute, the longest heartbeat, at which the progress is sampled.
   */
  public static Duration stallLimit(Environment env) {
    int seconds = env.integer("OBSERVES_STALL_SECONDS").orElse((int) RunLog.STALL_LIMIT.toSeconds());
    if (seconds < RunLog.HEARTBEAT.toSeconds()) {
      throw new ConfigException("OBSERVES_STALL_SECONDS must be at least " + RunLog.HEARTBEAT.toSeconds()
          + " (the progress of a phase is looked at with each heartbeat), was " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  /** The run lease of a job: its Batch timeout ({@code OBSERVES_JOB_TIMEOUT_SECONDS}) and 10 minutes, else {@link #DEFAULT_LEASE}. */
  public static Duration leaseTtl(Environment env) {
    return env.integer("OBSERVES_JOB_TIMEOUT_SECONDS").map(s -> Duration.ofSeconds(s).plusMinutes(10)).orElse(DEFAULT_LEASE);
  }
}
