package io.observes.etl.checkly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/** FakeCheckly's check results: those added by hand and those of a schedule, made up as they are asked for. */
final class FakeCheckResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Every check ran every {@code every} from {@code start} (included) to {@code end} (excluded), once
   * in each of {@code locations}: a month of results of a hundred checks without holding them.
   */
  record Schedule(Instant start, Instant end, Duration every, List<String> locations) {
    long slots() {
      return ceilDiv(end.getEpochSecond() - start.getEpochSecond(), every.toSeconds());
    }

    /** The first slot at or after {@code epochSecond}, within [0, slots]. */
    long slotAt(long epochSecond) {
      return Math.max(0, Math.min(slots(), ceilDiv(epochSecond - start.getEpochSecond(), every.toSeconds())));
    }

    private static long ceilDiv(long a, long b) {
      return -Math.floorDiv(-a, b);
    }
  }

  private FakeCheckResults() {}

  /**
   * The results started in {@code [from, to)} (UNIX seconds), newest first (the order v1 and v2 use
   * is not documented; the walk does not depend on it), from the {@code skip}th on, at most
   * {@code limit}: those added by hand, then the schedule's (older than any added by hand: tests
   * do not mix them).
   */
  static List<ObjectNode> page(List<ObjectNode> added, Schedule schedule, String check, String name, long from, long to,
      long skip, int limit) {
    List<ObjectNode> found = new ArrayList<>(added.stream().filter(r -> {
      long started = Instant.parse(r.get("startedAt").asText()).getEpochSecond();
      return started >= from && started < to;
    }).toList());
    found.sort(Comparator.comparing((ObjectNode r) -> r.get("startedAt").asText()).reversed());
    List<ObjectNode> page = new ArrayList<>(found.stream().skip(skip).limit(limit).toList());
    if (schedule == null) {
      return page;
    }
    long locations = schedule.locations().size();
    long high = schedule.slotAt(to);
    long total = (high - schedule.slotAt(from)) * locations;
    for (long i = Math.max(0, skip - found.size()); i < total && page.size() < limit; i++) {
      long slot = high - 1 - i / locations;
      page.add(scheduled(check, name, slot, schedule.locations().get((int) (i % locations)),
          schedule.start().plus(schedule.every().multipliedBy(slot))));
    }
    return page;
  }

  /** A small documented result of an API check (no apiCheckResult: the count of calls is what matters). */
  private static ObjectNode scheduled(String check, String name, long slot, String location, Instant at) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", check + "-" + slot + "-" + location).put("name", name).put("checkId", check)
        .put("hasFailures", false).put("hasErrors", false).put("isDegraded", false).put("overMaxResponseTime", false)
        .put("runLocation", location).put("startedAt", at.toString()).put("stoppedAt", at.plusMillis(130).toString())
        .put("created_at", at.plusSeconds(1).toString()).put("responseTime", 129).putNull("apiCheckResult")
        .putNull("browserCheckResult").put("checkRunId", at.toEpochMilli()).put("attempts", 1).put("resultType", "FINAL");
    return r;
  }

  /** An opaque cursor (the real one is opaque too): its query and offset, base64url. */
  static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor's text, or null when it is not one of ours. */
  static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
