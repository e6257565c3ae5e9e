package io.observes.pipeline;

import io.observes.config.UrlCredentials;
import io.observes.warehouse.RunEntry;
import io.observes.warehouse.RunLogStore;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.TableCounts;
import io.observes.warehouse.WarehouseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes every phase of every run to {@code observes_meta.runs} (started, finished, status, error,
 * the schema it writes, its Batch job, attempt and host) and its per-table counts to
 * {@code observes_meta.run_tables}. While a phase works it writes a heartbeat every minute, so a
 * run killed before it could record its end (SIGKILL, a Spot host gone) is read as LOST, not
 * RUNNING forever; a phase that reads a source also stops, and fails, once its work reported no
 * progress for longer than the stall limit ({@link StallWatch}). A phase that throws is logged as
 * FAILED with its message and its exception goes on to the caller unchanged: when recording the end
 * fails too, that failure is logged and attached as suppressed, never put in the job's place. The job, run and phase are in every log line of the
 * phase's thread (MDC).
 */
public final class RunLog {
  /** How often a working phase says it is alive. */
  public static final Duration HEARTBEAT = Duration.ofMinutes(1);
  /**
   * How long a watched phase may report no progress before it is stopped (OBSERVES_STALL_SECONDS):
   * twice the longest silence a healthy run has by design, one API request retried to its end (6
   * attempts of up to 60 s, and 5 waits of up to 5 minutes a server may ask for: 31 minutes), and
   * far below the run lease (the job's timeout), so a stuck run frees its lease hours earlier.
   */
  public static final Duration STALL_LIMIT = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  private final RunLogStore store;
  private final Clock clock;
  private final RunOrigin origin;
  private final String target;
  private final Duration heartbeat;
  private final Duration stallLimit;
  private boolean ready;

  public RunLog(WarehouseClient warehouse, Clock clock) {
    this(warehouse, clock, RunOrigin.LOCAL, null, HEARTBEAT);
  }

  public RunLog(WarehouseClient warehouse, Clock clock, RunOrigin origin, String target, Duration heartbeat) {
    this(warehouse, clock, origin, target, heartbeat, STALL_LIMIT);
  }

  /**
   * @param target the schema the runs write (null for jobs outside the warehouse)
   * @param heartbeat how often a working phase records that it is alive
   * @param stallLimit how long a watched phase may report no progress before it is stopped
   */
  public RunLog(WarehouseClient warehouse, Clock clock, RunOrigin origin, String target, Duration heartbeat,
      Duration stallLimit) {
    this.store = Objects.requireNonNull(warehouse, "warehouse").runLog();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.target = target;
    this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
    this.stallLimit = Objects.requireNonNull(stallLimit, "stallLimit");
  }

  /**
   * What a phase reports: its result, the per-table counts to log, for a whole run of a
   * differential source the state it left (null: none, or not advanced), and when the phase
   * published, the time its data is as of (an export's snapshot time, the end of the last change
   * window applied; null: as of the run itself), which freshness is judged by.
   */
  public record Outcome<T>(T result, List<TableCounts> tables, String stateAfter, Instant dataAsOf) {
    public Outcome(T result, List<TableCounts> tables) {
      this(result, tables, null, null);
    }

    public Outcome(T result, List<TableCounts> tables, String stateAfter) {
      this(result, tables, stateAfter, null);
    }
  }

  public <T> T phase(String job, RunId run, String phase, Integer segment, Supplier<Outcome<T>> work) {
    return phase(job, run, phase, segment, null, work);
  }

  /** As {@link #phase(String, RunId, String, Integer, Supplier)}, logging the state the work starts from. */
  public <T> T phase(String job, RunId run, String phase, Integer segment, String stateBefore, Supplier<Outcome<T>> work) {
    return phase(job, run, phase, segment, stateBefore, null, work);
  }

  /**
   * As {@link #phase(String, RunId, String, Integer, String, Supplier)}, watched when {@code progress}
   * is given: a number the work makes grow as it progresses (records, requests), sampled at every
   * heartbeat. Unchanged for longer than the stall limit, the work is interrupted, the heartbeat
   * stops, and the phase fails (FAILED, "... made no progress for N s ...") with a
   * {@link StalledException}. Only phases that read a source are watched: a warehouse statement
   * reports nothing while it runs.
   */
  public <T> T phase(String job, RunId run, String phase, Integer segment, String stateBefore, LongSupplier progress,
      Supplier<Outcome<T>> work) {
    ensure();
    RunEntry entry = new RunEntry(job, run.value(), phase, segment, clock.instant(), target, origin);
    store.recordRunStart(entry, stateBefore);
    MDC.put("job", job);
    MDC.put("run", run.value());
    MDC.put("phase", segment == null ? phase : phase + " " + segment);
    LOG.info("{} {}{} of run {} started", job, phase, segment == null ? "" : " segment " + segment, run);
    String what = phase + (segment == null ? "" : " segment " + segment) + " of run " + run;
    StallWatch watch = progress == null ? null : new StallWatch(progress, stallLimit, clock, Thread.currentThread());
    ScheduledExecutorService beats = heartbeats(entry, MDC.getCopyOfContextMap(), watch, what);
    Outcome<T> outcome;
    try {
      outcome = work.get();
      if (watch != null && watch.finish()) {
        throw new StalledException(watch.message(what), null);
      }
    } catch (RuntimeException | Error e) {
      beats.shutdownNow();
      boolean stopped = watch != null && watch.finish();
      Throwable failure = stopped && !(e instanceof StalledException) ? new StalledException(watch.message(what), e) : e;
      LOG.info("{} {} of run {} failed after {} s", job, phase, run,
          Duration.between(entry.started(), clock.instant()).toSeconds());
      try {
        // The error is shown by runs, report and check, and alerted: never with a URL's credentials.
        store.recordRunEnd(entry, clock.instant(), "FAILED", String.valueOf(UrlCredentials.strip(failure.getMessage())));
      } catch (RuntimeException logFailure) {
        LOG.warn("recording the failure of {} {} of run {} in the run log failed too: {}", job, phase, run,
            logFailure.getMessage());
        failure.addSuppressed(logFailure);
      }
      clearMdc();
      if (failure instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) failure;
    }
    beats.shutdownNow();
    try {
      store.recordRunSuccess(entry, clock.instant(), outcome.tables(), stateBefore, outcome.stateAfter(), outcome.dataAsOf());
      LOG.info("{} {} of run {} succeeded in {} s", job, phase, run,
          Duration.between(entry.started(), clock.instant()).toSeconds());
    } catch (RuntimeException e) {
      throw new IllegalStateException("the work of " + phase + (segment == null ? "" : " segment " + segment) + " of run "
          + run + " is done, but recording it in the run log failed: " + e.getMessage()
          + ". Rerun the phase: it finds its work done and records it.", e);
    } finally {
      clearMdc();
    }
    return outcome.result();
  }

  private ScheduledExecutorService heartbeats(RunEntry entry, Map<String, String> logContext, StallWatch watch,
      String what) {
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, heartbeat.toMillis());
    beats.scheduleAtFixedRate(() -> {
      MDC.setContextMap(logContext);
      if (watch != null && watch.stalled()) {
        // No more beats; FAILED is recorded first, in case the work never notices its interrupt.
        beats.shutdown();
        LOG.error("{} Its work is interrupted.", watch.message(what));
        try {
          store.recordRunEnd(entry, clock.instant(), "FAILED", watch.message(what));
        } catch (RuntimeException e) {
          LOG.warn("recording that {} stalled failed: {}", what, e.getMessage());
        }
        watch.interrupt();
        return;
      }
      try {
        store.recordHeartbeat(entry, clock.instant());
      } catch (RuntimeException e) {
        // A missed heartbeat is no reason to stop the work; three in a row make the run read as LOST.
        LOG.warn("writing the heartbeat of {} {} of run {} failed: {}", entry.job(), entry.phase(), entry.run(), e.getMessage());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return beats;
  }

  private static void clearMdc() {
    MDC.remove("job");
    MDC.remove("run");
    MDC.remove("phase");
  }

  private synchronized void ensure() {
    if (!ready) {
      store.ensure();
      ready = true;
    }
  }
}
