package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.pipeline.Batch;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.Segment;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.Streams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The zoho ETL's {@code prepare} job (LEGACY.md §5): the state of every stored bulk-read job asked
 * again, and one created for each module without a live one (a job Zoho no longer knows, or one
 * that failed, is replaced). The jobs go to the state and to {@code zoho_crm.bulk_jobs}; a job
 * replaced goes there too, at its last state (FAILURE as Zoho reports it, or as last seen when Zoho
 * no longer knows it), so no row claims a job is still ADDED after it ended.
 */
public final class ZohoPrepareSource implements Source {
  public static final String NAME = "zoho-prepare";

  private final BulkReads bulk;

  public ZohoPrepareSource(ApiClient api) {
    this.bulk = new BulkReads(Objects.requireNonNull(api, "api"));
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
  public Streams streams() {
    return new Streams(List.of(ZohoJobs.BULK_JOBS));
  }

  @Override
  public boolean stateful() {
    return true;
  }

  @Override
  public Batch read(Segment segment, Optional<JsonNode> state, ReadProgress progress) {
    Map<String, BulkJob> stored = ZohoJobs.read(state);
    Map<String, BulkJob> jobs = new TreeMap<>();
    List<SourceRecord> rows = new ArrayList<>();
    for (String module : ZohoModules.ALL) {
      progress.at(module);
      BulkJob before = stored.get(module);
      Optional<BulkJob> now = Optional.ofNullable(before).flatMap(j -> bulk.status(j.id()));
      BulkJob live;
      if (now.isPresent() && !BulkJob.FAILURE.equals(now.get().state())) {
        live = now.get();
      } else {
        if (before != null) {
          rows.add(ZohoJobs.BULK_JOBS.record(now.orElse(before).row()));
        }
        live = bulk.create(module, 1);
      }
      progress.page();
      jobs.put(module, live);
      rows.add(ZohoJobs.BULK_JOBS.record(live.row()));
      progress.record();
    }
    return new Batch(rows.stream(), () -> Optional.of(ZohoJobs.write(jobs)));
  }
}
