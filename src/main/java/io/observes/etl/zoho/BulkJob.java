package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.http.ApiException;
import io.observes.http.ApiJson;
import io.observes.http.PathSegment;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bulk-read job as Zoho reports it: its id, module and page, state (ADDED, IN PROGRESS, COMPLETED,
 * FAILURE), and once completed its result ({@code more_records}: another page of the module
 * follows). Kept whole in the state and in {@code zoho_crm.bulk_jobs}.
 */
record BulkJob(String id, String module, int page, String state, JsonNode raw) {
  static final String COMPLETED = "COMPLETED";
  static final String FAILURE = "FAILURE";

  BulkJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(raw, "raw");
  }

  /** A job of a status answer ({@code data[0]}) or of the state; the module is a name (v2) or {@code {api_name}} (v6+). */
  static BulkJob of(JsonNode job, String what) {
    JsonNode query = job.path("query");
    JsonNode module = query.path("module");
    String name = module.isTextual() ? module.asText() : module.path("api_name").asText(null);
    if (!job.path("id").isTextual() && !job.path("id").isNumber() || name == null || !job.path("state").isTextual()) {
      throw new ApiException(0, "Zoho answered " + what + " with a job without id, module or state: " + job);
    }
    try {
      // Its id goes back into URL paths: one that cannot be a path segment is refused here, named.
      PathSegment.encode(job.get("id").asText(), "the job id");
    } catch (IllegalArgumentException e) {
      throw new ApiException(0, "Zoho answered " + what + " with a job whose id " + e.getMessage() + "; nothing of it was kept");
    }
    return new BulkJob(job.get("id").asText(), name, query.path("page").asInt(1), job.get("state").asText(), job);
  }

  boolean completed() {
    return COMPLETED.equals(state);
  }

  boolean moreRecords() {
    return raw.path("result").path("more_records").asBoolean(false);
  }

  /** The {@code bulk_jobs} row: operation, created_by, created_time, state, id, module, page, result. */
  Value.Obj row() {
    Map<String, Value> row = new LinkedHashMap<>();
    row.put("id", new Value.Text(id));
    row.put("module", new Value.Text(module));
    row.put("page", Value.Numeric.of(page));
    row.put("state", new Value.Text(state));
    row.put("operation", JsonValues.fromJson(raw.get("operation")));
    row.put("created_by", JsonValues.fromJson(raw.get("created_by")));
    row.put("created_time", JsonValues.fromJson(raw.get("created_time")));
    row.put("result", JsonValues.fromJson(raw.get("result")));
    return new Value.Obj(row);
  }

  ObjectNode toJson() {
    return raw.deepCopy() instanceof ObjectNode o ? o : ApiJson.MAPPER.createObjectNode();
  }
}
