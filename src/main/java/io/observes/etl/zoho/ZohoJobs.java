package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiJson;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.warehouse.ColumnType;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The zoho ETL's state, shared by its two jobs: per module, the bulk-read job (page 1) that
 * {@code prepare} created and {@code load} will read; {@code load} removes the jobs it loaded, so
 * the next {@code prepare} reads the CRM afresh. The jobs are also rows of {@code zoho_crm.bulk_jobs},
 * merged by id.
 */
final class ZohoJobs {
  static final String STATE = "zoho";
  static final StreamSpec BULK_JOBS = StreamSpec.of("bulk_jobs", WriteMode.MERGE, "id")
      .typed("page", ColumnType.INTEGER).typed("created_time", ColumnType.TIMESTAMPTZ)
      .derived("module", "the module the job reads: query.module, or query.module.api_name (API v6+)")
      .derived("page", "the page the job reads: query.page, 1 when the job does not say");

  private ZohoJobs() {}

  static Map<String, BulkJob> read(Optional<JsonNode> state) {
    Map<String, BulkJob> jobs = new TreeMap<>();
    state.map(s -> s.path("jobs")).ifPresent(all -> all.fields().forEachRemaining(
        f -> jobs.put(f.getKey(), BulkJob.of(f.getValue(), "the zoho state's job of " + f.getKey()))));
    return jobs;
  }

  static JsonNode write(Map<String, BulkJob> jobs) {
    ObjectNode state = ApiJson.MAPPER.createObjectNode();
    ObjectNode all = state.putObject("jobs");
    jobs.forEach((module, job) -> all.set(module, job.toJson()));
    return state;
  }
}
