package io.observes.etl.checkly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.ApiJson;
import io.observes.http.NextPage;
import io.observes.http.Page;
import io.observes.http.PageWalk;
import io.observes.http.PathSegment;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.Streams;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkly ETL's source: the account's configuration (checks, groups, statuses, alert
 * channels) whole, and every check's results in {@code [from, to)}, from where the last run stopped
 * ({@code results.newest}) up to now, in one walk of {@code /v2/check-results}'s {@code nextId}
 * cursor per check. A first run looks back {@link Settings#lookBack}. With reports, yesterday's
 * report (UTC) of every check.
 */
public final class ChecklySource implements Source {
  public static final String NAME = "checkly";
  /** Checkly keeps raw results 30 days: nothing older can be read. */
  static final Duration KEPT = Duration.ofDays(30);
  /** Results of runs finishing now may not be listed yet; the next run reads them. */
  static final Duration SETTLE = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(ChecklySource.class);

  /** How far a first run looks back (at most 30 days), and whether to load the daily reports. */
  public record Settings(Duration lookBack, boolean reports) {
    public Settings {
      Objects.requireNonNull(lookBack, "lookBack");
      if (lookBack.isNegative() || lookBack.isZero() || lookBack.compareTo(KEPT) > 0) {
        throw new IllegalArgumentException("the look-back must be more than 0 and at most 30 days (Checkly keeps raw "
            + "results 30 days), was " + lookBack);
      }
    }
  }

  private final ApiClient api;
  private final Settings settings;
  private final Clock clock;

  public ChecklySource(ApiClient api, Settings settings, Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Streams streams() {
    return new Streams(List.of(ChecklyStreams.CHECKS, ChecklyStreams.CHECK_GROUPS, ChecklyStreams.CHECK_STATUS,
        ChecklyStreams.ALERT_CHANNELS, ChecklyStreams.RESULTS, ChecklyStreams.API_RESULTS, ChecklyStreams.BROWSER_RESULTS,
        ChecklyStreams.REPORTS));
  }

  @Override
  public boolean stateful() {
    return true;
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    if (segment.total() != 1) {
      throw new IllegalArgumentException("the checkly ETL reads as one segment, not " + segment);
    }
    Instant to = clock.instant().minus(SETTLE).truncatedTo(ChronoUnit.SECONDS);
    Instant from = from(state, to);
    Instant oldest = state.map(s -> s.path("results").path("oldest")).filter(JsonNode::isTextual)
        .map(n -> Instant.parse(n.asText())).orElse(from);
    List<String> checkIds = new ArrayList<>();
    List<Supplier<Stream<SourceRecord>>> parts = new ArrayList<>();
    parts.add(() -> list("checks?limit=" + ChecklyApi.LIMIT + "&page=1", "listing the checks", progress, item -> {
      checkIds.add(ChecklyRecords.read(item, ChecklyRecords.Check.class, "listing the checks").id());
      return List.of(ChecklyStreams.of(ChecklyStreams.CHECKS, item, "listing the checks"));
    }));
    parts.add(() -> listed(ChecklyStreams.CHECK_GROUPS, "check-groups?limit=" + ChecklyApi.LIMIT + "&page=1", progress));
    // Check statuses come in one answer, whatever limit and page say.
    parts.add(() -> listed(ChecklyStreams.CHECK_STATUS, "check-statuses", progress));
    parts.add(() -> listed(ChecklyStreams.ALERT_CHANNELS, "alert-channels?limit=" + ChecklyApi.LIMIT + "&page=1", progress));
    parts.add(() -> checkIds.stream().flatMap(id -> results(id, from, to, progress)));
    if (settings.reports()) {
      parts.add(() -> report(to, progress));
    }
    Stream<SourceRecord> records = parts.stream().flatMap(Supplier::get);
    return new Batch(records, () -> {
      ObjectNode after = ApiJson.MAPPER.createObjectNode();
      after.putObject("results").put("newest", (from.isBefore(to) ? to : from).toString()).put("oldest", oldest.toString());
      return Optional.of(after);
    });
  }

  /** Where this run's results start: the last run's end, else the look-back; never before what Checkly keeps. */
  private Instant from(Optional<JsonNode> state, Instant to) {
    Optional<JsonNode> newest = state.map(s -> s.path("results").path("newest"));
    Instant earliest = to.minus(KEPT).plus(Duration.ofMinutes(1));
    if (newest.isEmpty() || !newest.get().isTextual()) {
      if (state.isPresent()) {
        throw new IllegalStateException("the checkly state has no results.newest: " + state.get()
            + ". Fix or delete it (deleting it makes the next run a first run).");
      }
      return to.minus(settings.lookBack());
    }
    Instant from = Instant.parse(newest.get().asText());
    if (from.isBefore(earliest)) {
      LOG.warn("the last checkly run read results up to {}, but Checkly keeps them only 30 days: results from {} to {} "
          + "are gone and cannot be loaded", from, from, earliest);
      return earliest;
    }
    return from;
  }

  private Stream<SourceRecord> listed(StreamSpec stream, String path, ReadProgress progress) {
    String what = "listing the " + stream.name();
    return list(path, what, progress, item -> List.of(ChecklyStreams.of(stream, item, what)));
  }

  /**
   * One check's results started in {@code [from, to)}: one walk of v2's cursor, to the page whose
   * {@code nextId} is null. Each next page asks the same query (limit, from, to) with the cursor;
   * the walk's bounds (a cursor seen twice, the most pages a walk may read) end a cursor that never
   * does. The result type is left to its default (FINAL), as v1's was.
   */
  private Stream<SourceRecord> results(String checkId, Instant from, Instant to, ReadProgress progress) {
    if (!from.isBefore(to)) {
      return Stream.empty();
    }
    String what = "listing the results of check " + checkId + " in [" + from + ", " + to + ")";
    String where = "check " + checkId + ", results [" + from + ", " + to + ")";
    progress.at(where);
    URI first = api.resolve("v2/check-results/" + PathSegment.encode(checkId, "the check id") + "?limit=" + ChecklyApi.LIMIT
        + "&from=" + from.getEpochSecond() + "&to=" + to.getEpochSecond());
    PageWalk walk = new PageWalk(api, first, what, "entries", NextPage.cursor("nextId", "nextId"), page -> {
      requireEntries(page, what);
      progress.at(where + ", " + page.number() + " page(s) read");
      progress.page();
      return true;
    });
    return walk.stream().flatMap(item -> {
      progress.record();
      return ChecklyStreams.result(item, what).stream();
    });
  }

  /**
   * v2 documents {@code length} as required and {@code entries} as optional, without saying what
   * an answer without entries means: it is read as an empty page only when its {@code length} is
   * 0, else it fails the run, so that results are never skipped unread.
   */
  private void requireEntries(Page page, String what) {
    if (page.listed()) {
      return;
    }
    JsonNode entries = page.rest().path("entries");
    JsonNode length = page.rest().path("length");
    if ((entries.isMissingNode() || entries.isNull()) && length.isNumber() && length.decimalValue().signum() == 0) {
      return;
    }
    throw new ApiException(0, "Checkly answered " + what + " (page " + page.number() + ") without a list of entries ("
        + (entries.isMissingNode() ? "none" : api.quote(entries.toString())) + ", length "
        + (length.isMissingNode() ? "none" : api.quote(length.toString())) + "): not the documented page of results");
  }

  /** Yesterday's report (UTC), so a rerun the same day replaces the same rows. */
  private Stream<SourceRecord> report(Instant now, ReadProgress progress) {
    Instant end = now.truncatedTo(ChronoUnit.DAYS);
    Instant start = end.minus(Duration.ofDays(1));
    String what = "reading the report of [" + start + ", " + end + ")";
    return list("reporting?from=" + start.getEpochSecond() + "&to=" + end.getEpochSecond(), what, progress,
        item -> List.of(ChecklyStreams.report(item, start.toString(), end.toString(), what)));
  }

  private Stream<SourceRecord> list(String path, String what, ReadProgress progress,
      Function<JsonNode, List<SourceRecord>> records) {
    NextPage next = path.contains("page=") ? NextPage.whileFull("page", ChecklyApi.LIMIT) : page -> Optional.empty();
    PageWalk walk = new PageWalk(api, api.resolve("v1/" + path), what, null, next, page -> {
      progress.page();
      return true;
    });
    return walk.stream()
        .flatMap(item -> {
          progress.record();
          return records.apply(item).stream();
        });
  }
}
