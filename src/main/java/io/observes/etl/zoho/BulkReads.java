package io.observes.etl.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.ApiJson;
import io.observes.http.PathSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Zoho's Bulk Read API (v2): create a job for a module's page, ask its state, download its result
 * (a zip holding one CSV) to a file, streamed.
 */
final class BulkReads {
  private static final String BASE = "crm/bulk/v2/read";

  private final ApiClient api;

  BulkReads(ApiClient api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  BulkJob create(String module, int page) {
    String what = "creating a bulk read of " + module + " page " + page;
    JsonNode answer = api.postJson(BASE, Map.of("query", Map.of("module", module, "page", page)), what);
    JsonNode created = answer.path("data").path(0);
    if (!"success".equals(created.path("status").asText())) {
      throw new ApiException(0, "Zoho answered " + what + " with " + api.quote(created.toString()));
    }
    JsonNode details = created.path("details").deepCopy();
    if (details instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      o.set("query", ApiJson.MAPPER.valueToTree(Map.of("module", module, "page", page)));
    }
    return BulkJob.of(details, what);
  }

  /** The job as Zoho has it now; empty when Zoho no longer knows it (jobs and their results expire). */
  Optional<BulkJob> status(String id) {
    String what = "reading bulk read job " + id;
    try {
      JsonNode answer = api.getJson(BASE + "/" + PathSegment.encode(id, "Zoho's bulk read job id"), what);
      return Optional.of(BulkJob.of(answer.path("data").path(0), what));
    } catch (ApiException e) {
      if (e.status() == 400 || e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Waits, asking every {@code every}, until the job completes; fails on FAILURE or after {@code within}.
   * {@code polled} runs after each answer.
   */
  BulkJob await(BulkJob job, Duration every, Duration within, Runnable polled) {
    Instant deadline = Instant.now().plus(within);
    BulkJob now = job;
    while (!now.completed()) {
      if (BulkJob.FAILURE.equals(now.state())) {
        throw new ApiException(0, "Zoho's bulk read " + now.id() + " of " + now.module() + " page " + now.page() + " failed: "
            + api.quote(now.raw().toString()));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new ApiException(0, "Zoho's bulk read " + now.id() + " of " + now.module() + " page " + now.page() + " is still "
            + now.state() + " after " + within.toMinutes() + " min; run the load again later (it resumes with that job)");
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(0, "interrupted while waiting for Zoho's bulk read " + now.id(), e);
      }
      String id = now.id();
      now = status(id).orElseThrow(() -> new ApiException(0, "Zoho no longer knows bulk read " + id));
      polled.run();
    }
    return now;
  }

  /**
   * An id as part of a file name: only letters, digits, '_' and '-' as they are, the rest
   * percent-encoded, at most 48 characters (the file gets a unique suffix anyway), so no id can
   * climb out of the work directory, hide a file or break a name with a control character.
   */
  static String fileNamePart(String id) {
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A")
        .replace("+", "%20");
    return encoded.length() <= 48 ? encoded : encoded.substring(0, 48);
  }

  /**
   * The result's zip, downloaded to a file in {@code work}; within the call, so that a download that
   * stalls or breaks off is retried (from the start, over the same file).
   */
  Path download(BulkJob job, Path work) {
    String what = "downloading the result of bulk read " + job.id() + " (" + job.module() + " page " + job.page() + ")";
    try {
      Files.createDirectories(work);
      Path zip = Files.createTempFile(work, "zoho-" + fileNamePart(job.id()) + "-", ".zip");
      String path = BASE + "/" + PathSegment.encode(job.id(), "Zoho's bulk read job id") + "/result";
      api.exchange("GET", api.resolve(path), null, what,
          response -> Files.copy(response.body(), zip, StandardCopyOption.REPLACE_EXISTING));
      return zip;
    } catch (IOException e) {
      throw new UncheckedIOException(what + " failed: " + e.getMessage(), e);
    }
  }
}
