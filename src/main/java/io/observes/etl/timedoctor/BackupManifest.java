package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiJson;
import io.observes.storage.StoredObject;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A month's backup manifest as a new backup of that month found it: which run's files are the
 * month, and how many records each stream holds, so that a backup reading fewer is refused.
 */
record BackupManifest(YearMonth month, String run, String writtenAt, Map<String, Long> rows, String etag) {
  static BackupManifest parse(YearMonth month, StoredObject object) {
    JsonNode manifest;
    try {
      manifest = ApiJson.MAPPER.readTree(object.bytes());
    } catch (IOException e) {
      throw new IllegalStateException("the manifest of the TimeDoctor backup of " + month + " is not JSON (" + e.getMessage()
          + "), so this backup cannot tell how many records it would replace. If the month's files are lost anyway, "
          + "run: observes etl timedoctor backup --month " + month + " --replace", e);
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("streams").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> stream = it.next();
      rows.put(stream.getKey(), stream.getValue().path("rows").asLong());
    }
    return new BackupManifest(month, manifest.path("run").asText(), manifest.path("written_at").asText(), rows,
        object.etag());
  }

  /**
   * Refuses a backup that read fewer records of some stream than this one holds: the API serves only
   * a few months back, so fewer usually means lost, not deleted.
   *
   * @throws IllegalStateException saying how many records of which streams would be lost, and what to run
   */
  void requireNoLoss(Map<String, Long> read) {
    List<String> lost = new ArrayList<>();
    rows.forEach((stream, held) -> {
      long now = read.getOrDefault(stream, 0L);
      if (now < held) {
        lost.add((held - now) + " " + stream);
      }
    });
    if (lost.isEmpty()) {
      return;
    }
    throw new IllegalStateException("the TimeDoctor backup of " + month + " (run " + run + ", written at " + writtenAt
        + ") holds " + counts(rows) + " records; this run read " + counts(read) + " records: replacing it would lose "
        + String.join(" and ", lost) + " records, so the backup is kept as it was and this run's files are deleted. "
        + "TimeDoctor may no longer serve that month whole. If the smaller month is right, run: observes etl "
        + "timedoctor backup --month " + month + " --replace");
  }

  private static String counts(Map<String, Long> rows) {
    List<String> parts = new ArrayList<>();
    rows.forEach((stream, n) -> parts.add(n + " " + stream));
    return String.join(" and ", parts);
  }
}
