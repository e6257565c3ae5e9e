package io.observes.etl.timedoctor;

import io.observes.http.ApiClient;
import io.observes.pipeline.ReadProgress;
import io.observes.state.RunLease;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The timedoctor backup job: one month of worklogs and computer activity, kept in S3 whole. */
public final class TimeDoctorBackup {
  private final ApiClient api;
  private final TimeDoctorBackups backups;
  private final Clock clock;

  public TimeDoctorBackup(ApiClient api, TimeDoctorBackups backups, Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.backups = Objects.requireNonNull(backups, "backups");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The previous calendar month (UTC), the default of a run on the 1st. */
  public YearMonth previousMonth() {
    return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).minusMonths(1);
  }

  /**
   * Backs {@code month} up (up to now, for the current one) under {@code lease}, the timedoctor run
   * lease this run holds; returns the rows kept per stream. The month's manifest is switched only
   * while the lease is still this run's, and (unless {@code replace}) only when no stream read fewer
   * records than the backup it replaces holds: otherwise the month stays as it was.
   */
  public Map<String, Long> run(YearMonth month, String run, ReadProgress progress, boolean replace, RunLease lease) {
    Instant now = clock.instant();
    Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = end.isAfter(now) ? now : end;
    if (!from.isBefore(now)) {
      throw new IllegalArgumentException("month " + month + " has not begun: nothing to back up");
    }
    TimeDoctorReader reader = new TimeDoctorReader(api, progress);
    Map<String, java.util.stream.Stream<io.observes.pipeline.value.Value.Obj>> rows = new LinkedHashMap<>();
    rows.put(TimeDoctorStreams.WORKLOGS.name(), reader.worklogs(from, to));
    rows.put(TimeDoctorStreams.COMPUTER_ACTIVITY.name(), reader.activity(from, to));
    return backups.write(month, run, rows, now, replace,
        () -> lease.verifyCurrent(lease.token(), "keeps the backup of " + month + " as it was (its own files deleted)"));
  }
}
