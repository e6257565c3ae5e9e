package io.observes.etl.timedoctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.observes.http.ApiClient;
import io.observes.http.ApiException;
import io.observes.http.NextPage;
import io.observes.http.PageWalk;
import io.observes.http.Query;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.value.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads TimeDoctor (LEGACY.md §6): the company of the user the ETL logs in as, its users, and per
 * user, in five-day windows {@code [from, to)}, the worklogs and the computer activity
 * (screenshots, paged by {@code paging.next}). Rows are read lazily, window by window.
 */
final class TimeDoctorReader {
  static final Duration WINDOW = Duration.ofDays(5);
  static final int LIMIT = 200;

  private final ApiClient api;
  private final ReadProgress progress;
  private String company;
  private Map<String, String> users;

  TimeDoctorReader(ApiClient api, ReadProgress progress) {
    this.api = Objects.requireNonNull(api, "api");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** The id of the login's (first) company. */
  String company() {
    if (company == null) {
      JsonNode companies = api.getJson("authorization", "reading the login's companies").path("data").path("companies");
      if (!companies.isArray() || companies.isEmpty() || !companies.get(0).path("id").isTextual()) {
        throw new ApiException(0, "TimeDoctor's authorization names no company for this login: give the user access to "
            + "the company, or log in as one who has it");
      }
      company = companies.get(0).get("id").asText();
    }
    return company;
  }

  /** The company's users, id to name. */
  Map<String, String> users() {
    if (users == null) {
      Map<String, String> found = new LinkedHashMap<>();
      walk("users?company=" + Query.encode(company()) + "&limit=" + LIMIT + "&page=0", "listing the users", LIMIT)
          .forEach(user -> found.put(user.path("id").asText(), user.path("name").isTextual() ? user.get("name").asText() : null));
      users = found;
    }
    return users;
  }

  Stream<Value.Obj> worklogs(Instant from, Instant to) {
    return perUserAndWindow(from, to, (user, a, b) -> {
      String what = "reading the worklogs of user " + user + " in [" + a + ", " + b + ")";
      return walk("activity/worklog?company=" + Query.encode(company()) + "&user=" + Query.encode(user)
          + "&detail=true&task-project-names=true&from=" + Query.encode(a.toString()) + "&to=" + Query.encode(b.toString()), what, 0)
          // One list of worklogs per user asked for.
          .flatMap(list -> list.isArray() ? java.util.stream.StreamSupport.stream(list.spliterator(), false) : Stream.of(list))
          .map(item -> TimeDoctorStreams.worklog(item, users(), what));
    });
  }

  Stream<Value.Obj> activity(Instant from, Instant to) {
    return perUserAndWindow(from, to, (user, a, b) -> {
      String what = "reading the computer activity of user " + user + " in [" + a + ", " + b + ")";
      return walk("files/screenshot?company=" + Query.encode(company()) + "&user=" + Query.encode(user) + "&from="
          + Query.encode(a.toString()) + "&to=" + Query.encode(b.toString()) + "&limit=" + LIMIT + "&page=0", what, LIMIT)
          .map(item -> TimeDoctorStreams.activity(item, users(), what));
    });
  }

  @FunctionalInterface
  private interface Window {
    Stream<Value.Obj> read(String user, Instant from, Instant to);
  }

  private Stream<Value.Obj> perUserAndWindow(Instant from, Instant to, Window window) {
    List<Instant[]> windows = new ArrayList<>();
    for (Instant a = from; a.isBefore(to); a = a.plus(WINDOW)) {
      windows.add(new Instant[] {a, a.plus(WINDOW).isAfter(to) ? to : a.plus(WINDOW)});
    }
    return users().keySet().stream().flatMap(user -> windows.stream().flatMap(w -> {
      progress.at("user " + user + ", [" + w[0] + ", " + w[1] + ")");
      return window.read(user, w[0], w[1]);
    }));
  }

  /**
   * A list answer {@code {"data": [...], "paging": {"next": ...}}}, following {@code paging.next} into
   * {@code page}. A page of {@code limit} items (0: unpaged) without a next cursor is refused, not
   * taken as the end: the list may go on, and stopping there would lose the rest without a word.
   */
  private Stream<JsonNode> walk(String path, String what, int limit) {
    NextPage next = page -> {
      JsonNode cursor = page.rest().path("paging").path("next");
      if (page.items().isEmpty() || cursor.isMissingNode() || cursor.isNull() || cursor.asText().isEmpty()) {
        if (limit > 0 && page.items().size() >= limit) {
          throw new ApiException(0, "a full page (" + page.items().size() + " items, the limit " + limit + ") came without "
              + "paging.next, so whether the list goes on is unknown; stopping here could lose the rest");
        }
        return Optional.empty();
      }
      return Optional.of(Query.with(page.uri(), "page", cursor.asText()));
    };
    return new PageWalk(api, api.resolve(path), what, "data", next, page -> {
      progress.page();
      return true;
    }).stream().peek(n -> progress.record());
  }
}
