package io.observes.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.config.Buckets;
import io.observes.config.Environment;
import io.observes.storage.ObjectStore;
import io.observes.testing.S3StandIn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ETL's state round-trips, is replaced only from the version a run read, and a document that is
 * not a readable state is an error naming the object, never "first run". On s3proxy, with If-Match
 * made atomic like S3's so that racing writers test this code (see S3StandIn).
 */
class StateStoreTest {
  static final String BUCKET = "observes.state";
  static final Instant T1 = Instant.parse("2026-03-01T04:00:00Z");
  static final Instant T2 = Instant.parse("2026-03-02T04:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static S3StandIn s3;
  static ObjectStore store;
  static int etls;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3StandIn.withAtomicConditions();
    s3.createBucket(BUCKET);
    store = s3.store();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  /** A state of its own for each test: ETL names are the key prefixes. */
  static StateStore fresh() {
    return new StateStore(store, BUCKET, "etl" + etls++);
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void noObjectIsAFirstRun() {
    assertThat(fresh().read()).isEmpty();
  }

  @Test
  void aWrittenStateReadsBackWithItsRunTimeAndVersion() throws Exception {
    StateStore state = fresh();
    JsonNode cursor = json("{\"updated_after\": \"2026-02-28T00:00:00Z\", \"projects\": [1, 2], \"page\": null}");
    state.write(cursor, Optional.empty(), "run-1", T1);

    StateVersion read = state.read().orElseThrow();
    assertThat(read.data()).isEqualTo(cursor);
    assertThat(read.run()).isEqualTo("run-1");
    assertThat(read.writtenAt()).isEqualTo(T1);
    assertThat(read.etag()).isEqualTo(store.readVersioned(state.uri()).orElseThrow().etag());

    JsonNode document = JSON.readTree(store.read(state.uri()).orElseThrow());
    assertThat(document.get("format").intValue()).isEqualTo(1);
    assertThat(document.get("etl").textValue()).isEqualTo(state.uri().key().replace("/state.json", ""));
    assertThat(document.get("written_at").textValue()).isEqualTo("2026-03-01T04:00:00Z");

    state.write(json("{\"updated_after\": \"2026-03-01T00:00:00Z\"}"), Optional.of(read), "run-2", T2);
    StateVersion next = state.read().orElseThrow();
    assertThat(next.run()).isEqualTo("run-2");
    assertThat(next.etag()).isNotEqualTo(read.etag());
  }

  @Test
  void theStateOfAnEtlLivesInTheConfiguredStateBucket() {
    StateStore state = StateStore.of(store, Buckets.from(new Environment(Map.of())), "gitlab");
    assertThat(state.uri()).hasToString("s3://observes.state/gitlab/state.json");
  }

  @Test
  void aWriterThatReadAnOlderVersionIsRefusedAndTheNewerStateStays() throws Exception {
    StateStore state = fresh();
    state.write(json("{\"n\": 1}"), Optional.empty(), "run-1", T1);
    Optional<StateVersion> bothRead = state.read();
    state.write(json("{\"n\": 2}"), bothRead, "run-2", T2);

    assertThatThrownBy(() -> state.write(json("{\"n\": 3}"), bothRead, "run-3", T2))
        .isInstanceOf(StateConflictException.class)
        .hasMessageContaining(state.uri().toString())
        .hasMessageContaining("run run-3 did not advance the state")
        .hasMessageContaining("this run read the version written by run run-1 at 2026-03-01T04:00:00Z")
        .hasMessageContaining("it now holds the version written by run run-2")
        .hasMessageContaining("the next run re-reads the same interval");
    StateVersion stored = state.read().orElseThrow();
    assertThat(stored.data()).isEqualTo(json("{\"n\": 2}"));
    assertThat(stored.run()).isEqualTo("run-2");
  }

  @Test
  void aRunThatFoundNoStateIsRefusedWhenAnotherRunWroteOneMeanwhile() throws Exception {
    StateStore state = fresh();
    state.write(json("{\"n\": 1}"), Optional.empty(), "run-1", T1);
    assertThatThrownBy(() -> state.write(json("{\"n\": 2}"), Optional.empty(), "run-2", T2))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("this run read no state");
    assertThat(state.read().orElseThrow().run()).isEqualTo("run-1");
  }

  @Test
  void aStateDeletedSinceItWasReadIsAConflictAndIsNotRecreated() throws Exception {
    StateStore state = fresh();
    state.write(json("{\"n\": 1}"), Optional.empty(), "run-1", T1);
    Optional<StateVersion> read = state.read();
    store.delete(state.uri());
    assertThatThrownBy(() -> state.write(json("{\"n\": 2}"), read, "run-2", T2))
        .isInstanceOf(StateConflictException.class).hasMessageContaining("it has been deleted since");
    assertThat(state.read()).isEmpty();
  }

  /** A PUT retried after its answer was lost meets its own write: that is the write done, not a conflict. */
  @Test
  void findingExactlyThisWriteAlreadyStoredIsSuccess() throws Exception {
    StateStore state = fresh();
    state.write(json("{\"n\": 1}"), Optional.empty(), "run-1", T1);
    state.write(json("{\"n\": 1}"), Optional.empty(), "run-1", T1);
    assertThat(state.read().orElseThrow().data()).isEqualTo(json("{\"n\": 1}"));
  }

  @Test
  void ofRunsWritingFromTheSameReadExactlyOneWins() throws Exception {
    for (int round = 0; round < 10; round++) {
      StateStore state = fresh();
      state.write(json("{\"n\": 0}"), Optional.empty(), "run-0", T1);
      Optional<StateVersion> read = state.read();
      List<Throwable> outcomes = Race.run(2, i -> state.write(json("{\"n\": " + (i + 1) + "}"), read, "run-" + (i + 1), T2));
      assertWonByOne(state, outcomes);
    }
  }

  @Test
  void ofFirstRunsWritingTogetherExactlyOneWins() throws Exception {
    for (int round = 0; round < 10; round++) {
      StateStore state = fresh();
      List<Throwable> outcomes = Race.run(4, i -> state.write(json("{\"n\": " + (i + 1) + "}"), Optional.empty(),
          "run-" + (i + 1), T2));
      assertWonByOne(state, outcomes);
    }
  }

  static void assertWonByOne(StateStore state, List<Throwable> outcomes) throws Exception {
    assertThat(outcomes.stream().filter(Objects::isNull).count()).isEqualTo(1);
    assertThat(outcomes.stream().filter(Objects::nonNull)).allMatch(StateConflictException.class::isInstance);
    int winner = outcomes.indexOf(null) + 1;
    StateVersion stored = state.read().orElseThrow();
    assertThat(stored.run()).isEqualTo("run-" + winner);
    assertThat(stored.data()).isEqualTo(json("{\"n\": " + winner + "}"));
  }

  static Stream<Arguments> corrupt() {
    return Stream.of(
        Arguments.of("not JSON", "state: gitlab\n", "it is not JSON"),
        Arguments.of("empty", "", "it is empty"),
        Arguments.of("a JSON array", "[{\"format\": 1}]", "it is a JSON array, not an object"),
        Arguments.of("trailing garbage", "{\"format\": 1} {}", "it is not JSON"),
        Arguments.of("no format", "{\"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\", \"data\": {}}",
            "it has no \"format\""),
        Arguments.of("format as text",
            "{\"format\": \"1\", \"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\", \"data\": {}}",
            "\"format\" is \"1\", not a whole number"),
        Arguments.of("format 0",
            "{\"format\": 0, \"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\", \"data\": {}}",
            "formats start at 1"),
        Arguments.of("no data", "{\"format\": 1, \"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\"}",
            "it has no \"data\""),
        Arguments.of("data not an object",
            "{\"format\": 1, \"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\", \"data\": [1]}",
            "\"data\" is a JSON array, not an object"),
        Arguments.of("another ETL's",
            "{\"format\": 1, \"etl\": \"checkly\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\", \"data\": {}}",
            "it is the state of ETL 'checkly'"),
        Arguments.of("a bad date", "{\"format\": 1, \"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"yesterday\", \"data\": {}}",
            "\"written_at\" is \"yesterday\", not an ISO-8601 instant"),
        Arguments.of("duplicate data",
            "{\"format\": 1, \"etl\": \"%s\", \"run\": \"r\", \"written_at\": \"2026-03-01T04:00:00Z\", \"data\": {}, "
                + "\"data\": {\"n\": 1}}", "it is not JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corrupt")
  void aCorruptDocumentIsAnErrorNamingTheObjectAndTheWayOut(String kind, String content, String problem) {
    StateStore state = fresh();
    String etl = state.uri().key().replace("/state.json", "");
    store.put(state.uri(), content.replace("%s", etl).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(state::read).isExactlyInstanceOf(StateException.class)
        .hasMessageStartingWith(state.uri() + " is not a valid state document: ")
        .hasMessageContaining(problem)
        .hasMessageContaining("fix or delete it (deleting it makes the next run a first run, fetching the whole history)");
  }

  @Test
  void aNewerFormatAsksForTheNewerVersionAndToKeepTheObject() {
    StateStore state = fresh();
    String etl = state.uri().key().replace("/state.json", "");
    store.put(state.uri(), ("{\"format\": 99, \"etl\": \"" + etl + "\", \"cursor\": {}}").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(state::read).isExactlyInstanceOf(StateException.class)
        .hasMessageContaining(state.uri() + " is in state format 99, newer than format 1")
        .hasMessageContaining("run that version").hasMessageContaining("keep the object");
  }

  @Test
  void fieldsThisVersionDoesNotKnowAreIgnored() throws Exception {
    StateStore state = fresh();
    String etl = state.uri().key().replace("/state.json", "");
    store.put(state.uri(), ("{\"format\": 1, \"etl\": \"" + etl + "\", \"run\": \"r\", \"written_at\": "
        + "\"2026-03-01T04:00:00Z\", \"data\": {\"n\": 1}, \"written_by\": \"observes 9.0\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(state.read().orElseThrow().data()).isEqualTo(json("{\"n\": 1}"));
  }

  @Test
  void theStateIsAnObjectAndTheEtlNameOneKeySegment() {
    StateStore state = fresh();
    assertThatThrownBy(() -> state.write(json("[1, 2]"), Optional.empty(), "run-1", T1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object, not a JSON array");
    assertThatThrownBy(() -> new StateStore(store, BUCKET, "gitlab/../checkly"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ETL name");
    assertThatThrownBy(() -> state.write(json("{}"), Optional.empty(), " ", T1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run id");
  }
}
