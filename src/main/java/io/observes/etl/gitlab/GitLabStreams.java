package io.observes.etl.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiException;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gitlab ETL's streams (LEGACY.md §3) and how an API object becomes their records. Merge
 * requests are loaded whole (flattened); a job becomes the legacy {@code jobs} row (its pipeline,
 * user, runner and commit reduced to their ids) with every other field GitLab sends kept, its tags
 * the child table of {@code tag_list[]}; issues (with their assignees and labels) and members whole.
 */
final class GitLabStreams {
  static final StreamSpec MERGE_REQUESTS = StreamSpec.of("merge_requests", WriteMode.MERGE, "project_id", "id")
      .typed("id", ColumnType.BIGINT).typed("iid", ColumnType.BIGINT).typed("project_id", ColumnType.BIGINT)
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("updated_at", ColumnType.TIMESTAMPTZ)
      .typed("merged_at", ColumnType.TIMESTAMPTZ).typed("closed_at", ColumnType.TIMESTAMPTZ);

  /** The legacy columns keep their names and say which field of the job they hold. */
  static final StreamSpec JOBS = StreamSpec.of("jobs", WriteMode.MERGE, "project_id", "job_id")
      .typed("job_id", ColumnType.BIGINT).typed("project_id", ColumnType.BIGINT).typed("pipe_id", ColumnType.BIGINT)
      .typed("user_id", ColumnType.BIGINT).typed("runner_id", ColumnType.BIGINT)
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("started_at", ColumnType.TIMESTAMPTZ)
      .typed("finished_at", ColumnType.TIMESTAMPTZ).typed("allow_failure", ColumnType.BOOLEAN)
      .from("job_id", "id").from("pipe_id", "pipeline.id").from("user_id", "user.id").from("runner_id", "runner.id")
      .from("commit", "commit.id").from("ref_branch", "ref")
      .derived("project_id", "the id of the project whose pipelines the job was listed for");

  /** The table that held a job's tags before they became the child table of {@code jobs}' {@code tag_list}. */
  static final String RETIRED_JOB_TAGS = "job_tags";

  static final StreamSpec ISSUES = StreamSpec.of("issues", WriteMode.REPLACE, "project_id", "id")
      .typed("id", ColumnType.BIGINT).typed("iid", ColumnType.BIGINT).typed("project_id", ColumnType.BIGINT)
      .typed("created_at", ColumnType.TIMESTAMPTZ).typed("updated_at", ColumnType.TIMESTAMPTZ)
      .typed("closed_at", ColumnType.TIMESTAMPTZ);

  static final StreamSpec MEMBERS = StreamSpec.of("members", WriteMode.REPLACE, "project_id", "id")
      .typed("id", ColumnType.BIGINT).typed("project_id", ColumnType.BIGINT).typed("access_level", ColumnType.INTEGER)
      .derived("project_id", "the id of the project whose members were listed");

  /** Fields of a job the legacy row takes under another name or reduces to an id. */
  private static final Set<String> JOB_CONSUMED = Set.of("id", "ref", "pipeline", "user", "runner", "commit");

  private GitLabStreams() {}

  static SourceRecord mergeRequest(JsonNode mr, String what) {
    GitLabRecords.read(mr, GitLabRecords.Listed.class, what);
    return MERGE_REQUESTS.record(object(mr));
  }

  static SourceRecord issue(JsonNode issue, long project, String what) {
    GitLabRecords.read(issue, GitLabRecords.Listed.class, what);
    return ISSUES.record(withProject(object(issue), issue, project));
  }

  static SourceRecord member(JsonNode member, long project, String what) {
    GitLabRecords.read(member, GitLabRecords.Listed.class, what);
    return MEMBERS.record(withProject(object(member), member, project));
  }

  /** The legacy {@code jobs} row, its {@code tag_list} a child table. */
  static SourceRecord job(JsonNode job, long projectId, String what) {
    GitLabRecords.Job typed = GitLabRecords.read(job, GitLabRecords.Job.class, what);
    long id = typed.id();
    Map<String, Value> row = new LinkedHashMap<>();
    row.put("job_id", Value.Numeric.of(id));
    row.put("project_id", Value.Numeric.of(projectId));
    row.put("pipe_id", id(typed.pipeline()));
    row.put("user_id", id(typed.user()));
    row.put("runner_id", id(typed.runner()));
    row.put("commit", typed.commit() == null || typed.commit().id() == null ? Value.Null.INSTANCE
        : new Value.Text(typed.commit().id()));
    row.put("ref_branch", typed.ref() == null ? Value.Null.INSTANCE : new Value.Text(typed.ref()));
    job.fields().forEachRemaining(f -> {
      if (!JOB_CONSUMED.contains(f.getKey())) {
        row.putIfAbsent(f.getKey(), JsonValues.fromJson(f.getValue()));
      }
    });
    return JOBS.record(new Value.Obj(row));
  }

  /** The {@code updated_at} of a listed object, which the walk's coverage advances by. */
  static Instant updatedAt(JsonNode node, String what) {
    GitLabRecords.Listed listed = GitLabRecords.read(node, GitLabRecords.Listed.class, what);
    if (listed.updatedAt() == null) {
      throw new ApiException(0, "GitLab answered " + what + " with an object without updated_at: " + abbreviate(node));
    }
    return listed.updatedAt().toInstant();
  }

  static long requireId(JsonNode node, String field, String what) {
    if (!node.path(field).canConvertToLong()) {
      throw new ApiException(0, "GitLab answered " + what + " with an object without a numeric " + field + ": "
          + abbreviate(node));
    }
    return node.get(field).asLong();
  }

  private static Value.Obj object(JsonNode node) {
    if (!(JsonValues.fromJson(node) instanceof Value.Obj obj)) {
      throw new IllegalArgumentException("not a JSON object: " + abbreviate(node));
    }
    return obj;
  }

  private static Value.Obj withProject(Value.Obj value, JsonNode node, long project) {
    if (node.has("project_id")) {
      return value;
    }
    Map<String, Value> fields = new LinkedHashMap<>(value.fields());
    fields.put("project_id", Value.Numeric.of(project));
    return new Value.Obj(fields);
  }

  private static Value id(GitLabRecords.Ref ref) {
    return ref == null || ref.id() == null ? Value.Null.INSTANCE : Value.Numeric.of(ref.id());
  }

  /** An API object quoted in a message: its JSON, cleaned and cut ({@link io.observes.http.ApiText}). */
  private static String abbreviate(JsonNode node) {
    return io.observes.http.ApiText.quote(node.toString());
  }
}
