package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.Streams;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timedoctor ETL's load (LEGACY.md §6): every backed-up month, then live from TimeDoctor the
 * months after the last backup up to now (as a rule the current one). Each month comes from one
 * place; a row read twice anyway (a month backed up while it was also read live) lands once, by its
 * derived id. The whole schema is replaced each run.
 */
public final class TimeDoctorSource implements Source {
  public static final String NAME = "timedoctor";
  private static final Logger LOG = LoggerFactory.getLogger(TimeDoctorSource.class);

  private final ApiClient api;
  private final TimeDoctorBackups backups;
  private final Clock clock;

  public TimeDoctorSource(ApiClient api, TimeDoctorBackups backups, Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.backups = Objects.requireNonNull(backups, "backups");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Streams streams() {
    return new Streams(List.of(TimeDoctorStreams.WORKLOGS, TimeDoctorStreams.COMPUTER_ACTIVITY));
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    Instant now = clock.instant();
    YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
    List<YearMonth> backedUp = backups.months();
    YearMonth liveFrom = backedUp.isEmpty() ? current : backedUp.get(backedUp.size() - 1).plusMonths(1);
    if (backedUp.isEmpty()) {
      LOG.warn("no TimeDoctor month is backed up: only {} is loaded (live); run observes etl timedoctor backup", current);
    } else if (liveFrom.isBefore(current)) {
      LOG.warn("the last TimeDoctor backup is {}: {} to {} are read live, as far as the API still serves them",
          backedUp.get(backedUp.size() - 1), liveFrom, current);
    }
    TimeDoctorReader reader = new TimeDoctorReader(api, progress);
    Instant from = liveFrom.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    List<Supplier<Stream<SourceRecord>>> parts = new java.util.ArrayList<>();
    for (StreamSpec stream : List.of(TimeDoctorStreams.WORKLOGS, TimeDoctorStreams.COMPUTER_ACTIVITY)) {
      for (YearMonth month : backedUp) {
        parts.add(() -> {
          progress.at("backup of " + month + ", " + stream.name());
          return backups.read(month, stream.name()).map(stream::record);
        });
      }
    }
    if (from.isBefore(now)) {
      parts.add(() -> reader.worklogs(from, now).map(TimeDoctorStreams.WORKLOGS::record));
      parts.add(() -> reader.activity(from, now).map(TimeDoctorStreams.COMPUTER_ACTIVITY::record));
    }
    return Batch.stateless(parts.stream().flatMap(Supplier::get));
  }
}
