package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.PageWalk;
import io.observes.http.Query;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.Streams;
import io.observes.pipeline.WriteMode;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The zoho ETL's {@code load} job (LEGACY.md §5): every module needs a COMPLETED bulk-read job
 * (else the run fails naming them); each result is downloaded and read, and while Zoho says
 * {@code more_records} the next page's job is created and awaited within the run, so a module of
 * more than 200,000 records is loaded whole (the original stopped at page 1); users of every page.
 * The modules' tables are replaced in one transaction; {@code zoho_crm} is shared with
 * {@code bulk_jobs}, which is updated by id, never dropped.
 */
public final class ZohoLoadSource implements Source {
  public static final String NAME = "zoho";
  static final StreamSpec USERS = StreamSpec.of("users", WriteMode.REPLACE, "id");

  /** How often to ask a pending job's state, and for how long at most. */
  public record Waiting(Duration every, Duration within) {
    public Waiting {
      Objects.requireNonNull(every, "every");
      Objects.requireNonNull(within, "within");
    }
  }

  private final ApiClient api;
  private final BulkReads bulk;
  private final Waiting waiting;
  private final Path work;
  private Map<String, ZohoFields> fields;

  public ZohoLoadSource(ApiClient api, Waiting waiting, Path work) {
    this.api = Objects.requireNonNull(api, "api");
    this.bulk = new BulkReads(api);
    this.waiting = Objects.requireNonNull(waiting, "waiting");
    this.work = Objects.requireNonNull(work, "work");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String stateName() {
    return ZohoJobs.STATE;
  }

  @Override
  public boolean stateful() {
    return true;
  }

  /** The modules typed by Zoho's field metadata (asked once), the users, and the bulk jobs. */
  @Override
  public Streams streams() {
    List<StreamSpec> specs = new ArrayList<>();
    fields().forEach((module, f) -> specs.add(f.stream(module)));
    specs.add(USERS);
    specs.add(ZohoJobs.BULK_JOBS);
    return Streams.sharingTarget(specs);
  }

  private synchronized Map<String, ZohoFields> fields() {
    if (fields == null) {
      Map<String, ZohoFields> all = new LinkedHashMap<>();
      ZohoModules.ALL.forEach(module -> all.put(module, ZohoFields.of(api, module)));
      fields = all;
    }
    return fields;
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    Map<String, BulkJob> stored = ZohoJobs.read(state);
    Map<String, BulkJob> completed = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String module : ZohoModules.ALL) {
      Optional<BulkJob> job = Optional.ofNullable(stored.get(module)).flatMap(j -> bulk.status(j.id()));
      progress.page();
      if (job.isPresent() && job.get().completed()) {
        completed.put(module, job.get());
      } else {
        missing.add(module + " (" + job.map(BulkJob::state).orElse(stored.containsKey(module) ? "gone" : "none") + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("these Zoho modules have no COMPLETED bulk read job: " + String.join(", ", missing)
          + ". Run observes etl zoho prepare, and this load again once Zoho has completed them; nothing was loaded.");
    }
    List<Supplier<Stream<SourceRecord>>> parts = new ArrayList<>();
    completed.forEach((module, job) -> parts.add(() -> module(module, job, progress)));
    parts.add(() -> users(progress));
    Map<String, BulkJob> consumed = new LinkedHashMap<>(stored);
    completed.keySet().forEach(consumed::remove);
    return new Batch(parts.stream().flatMap(Supplier::get), () -> Optional.of(ZohoJobs.write(consumed)));
  }

  /** A module's pages, each followed by its job's row; the next page's job created once the page before is read. */
  private Stream<SourceRecord> module(String module, BulkJob first, ReadProgress progress) {
    ZohoFields typed = fields().get(module);
    StreamSpec stream = typed.stream(module);
    return Stream.iterate(first, j -> j != null, j -> j.moreRecords() ? next(j, progress) : null).flatMap(job -> {
      progress.at(module + " page " + job.page());
      String what = "bulk read " + job.id() + " (" + module + " page " + job.page() + ")";
      Stream<SourceRecord> rows = ZohoCsv.rows(bulk.download(job, work), what, ZohoFields.KEY).map(cells -> {
        progress.record();
        return stream.record(typed.value(cells));
      });
      return Stream.concat(rows, Stream.of(ZohoJobs.BULK_JOBS.record(job.row())));
    });
  }

  /** The next page's job, once completed; every answer while waiting counts as a request (progress for the stall limit). */
  private BulkJob next(BulkJob job, ReadProgress progress) {
    return bulk.await(bulk.create(job.module(), job.page() + 1), waiting.every(), waiting.within(), progress::page);
  }

  /** Every user, following {@code info.more_records}. */
  private Stream<SourceRecord> users(ReadProgress progress) {
    progress.at("users");
    PageWalk walk = new PageWalk(api, api.resolve("crm/v2/users?type=AllUsers&per_page=200&page=1"), "listing the users",
        "users", page -> page.rest().path("info").path("more_records").asBoolean(false)
            ? Optional.of(Query.with(page.uri(), "page", Integer.toString(page.rest().path("info").path("page").asInt(1) + 1)))
            : Optional.empty(), page -> {
              progress.page();
              return true;
            });
    return walk.stream().map(user -> USERS.record((Value.Obj) JsonValues.fromJson(user)));
  }
}
