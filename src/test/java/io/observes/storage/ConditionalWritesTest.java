package io.observes.storage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.testing.S3StandIn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Conditional writes: create-if-absent and replace-if-unchanged, against s3proxy, which enforces
 * both conditions (412, and 404 for If-Match on a missing key); S3's 409 conflict, which s3proxy
 * never answers, against WireMock with S3's error body.
 */
class ConditionalWritesTest {
  static S3StandIn s3;
  static S3StandIn atomic;
  static ObjectStore store;
  static int keys;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3StandIn();
    s3.createBucket("cond");
    store = s3.store();
    atomic = S3StandIn.withAtomicConditions();
    atomic.createBucket("cond");
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    atomic.close();
  }

  static S3Uri fresh() {
    return new S3Uri("cond", "k/" + keys++);
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String content(ObjectStore store, S3Uri uri) {
    return new String(store.read(uri).orElseThrow(), StandardCharsets.UTF_8);
  }

  @Test
  void aSecondCreateIsRefusedAndLeavesTheFirstObject() {
    S3Uri uri = fresh();
    assertThat(store.putIfAbsent(uri, text("first"))).isTrue();
    assertThat(store.putIfAbsent(uri, text("second"))).isFalse();
    assertThat(content(store, uri)).isEqualTo("first");
  }

  @Test
  void aReplaceWithAStaleEtagIsRefusedAndWithTheCurrentOneWrites() {
    S3Uri uri = fresh();
    store.put(uri, text("v1"));
    String v1 = store.readVersioned(uri).orElseThrow().etag();
    assertThat(store.putIfMatch(uri, text("v2"), v1)).isTrue();
    StoredObject v2 = store.readVersioned(uri).orElseThrow();
    assertThat(new String(v2.bytes(), StandardCharsets.UTF_8)).isEqualTo("v2");
    assertThat(v2.etag()).isNotEqualTo(v1);

    assertThat(store.putIfMatch(uri, text("v3 from a stale read"), v1)).isFalse();
    assertThat(content(store, uri)).isEqualTo("v2");
    assertThat(store.putIfMatch(uri, text("v3"), v2.etag())).isTrue();
    assertThat(content(store, uri)).isEqualTo("v3");
  }

  @Test
  void aReplaceOfAnObjectThatIsGoneIsRefusedAndCreatesNothing() {
    S3Uri uri = fresh();
    store.put(uri, text("v1"));
    String v1 = store.readVersioned(uri).orElseThrow().etag();
    store.delete(uri);
    assertThat(store.putIfMatch(uri, text("v2"), v1)).isFalse();
    assertThat(store.readVersioned(uri)).isEmpty();
  }

  @Test
  void aMissingObjectReadsAsEmptyAndAMissingBucketIsAnErrorNotARefusal() {
    assertThat(store.readVersioned(fresh())).isEmpty();
    S3Uri nowhere = new S3Uri("no-such-bucket", "state.json");
    assertThatThrownBy(() -> store.putIfAbsent(nowhere, text("x"))).isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://no-such-bucket/state.json").hasMessageContaining("bucket does not exist");
    assertThatThrownBy(() -> store.putIfMatch(nowhere, text("x"), "\"abc\"")).isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://no-such-bucket/state.json");
  }

  @Test
  void ofWritersRacingToCreateOneKeyExactlyOneWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      S3Uri uri = fresh();
      List<Boolean> won = race(8, i -> store.putIfAbsent(uri, text("writer " + i)));
      assertThat(won).containsOnlyOnce(true);
      assertThat(content(store, uri)).isEqualTo("writer " + won.indexOf(true));
    }
  }

  /** On the stand-in whose If-Match is atomic like S3's: s3proxy's own lets several through. */
  @Test
  void ofWritersRacingToReplaceTheSameVersionExactlyOneWins() throws Exception {
    ObjectStore atomicStore = atomic.store();
    for (int round = 0; round < 20; round++) {
      S3Uri uri = fresh();
      atomicStore.put(uri, text("base"));
      String base = atomicStore.readVersioned(uri).orElseThrow().etag();
      List<Boolean> won = race(8, i -> atomicStore.putIfMatch(uri, text("writer " + i), base));
      assertThat(won).containsOnlyOnce(true);
      assertThat(content(atomicStore, uri)).isEqualTo("writer " + won.indexOf(true));
    }
  }

  interface Writer {
    boolean write(int i) throws Exception;
  }

  /** Starts {@code n} writers together (a barrier, no sleeps); their answers in writer order. */
  static List<Boolean> race(int n, Writer writer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier start = new CyclicBarrier(n);
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        Callable<Boolean> task = () -> {
          start.await();
          return writer.write(id);
        };
        answers.add(pool.submit(task));
      }
      List<Boolean> won = new ArrayList<>();
      for (Future<Boolean> answer : answers) {
        won.add(answer.get());
      }
      return won;
    } finally {
      pool.shutdownNow();
    }
  }

  /** S3's answer when a concurrent write or delete of the key won (its documented 409). */
  static final String CONFLICT = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred. If using PutObject \
      you can retry the request.</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>host</HostId></Error>""";

  @Test
  void s3sConflictAnswerIsARefusalAndIsAskedOnce() {
    WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    aws.start();
    try (S3Client client = AwsClients.s3(AwsSettings.from(new Environment(Map.of(
        "AWS_ENDPOINT_URL", "http://127.0.0.1:" + aws.port(), "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1"))))) {
      aws.stubFor(put(urlPathEqualTo("/state/gitlab/state.json"))
          .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/xml").withBody(CONFLICT)));
      ObjectStore conflicted = new S3ObjectStore(client);
      S3Uri uri = new S3Uri("state", "gitlab/state.json");

      assertThat(conflicted.putIfAbsent(uri, text("x"))).isFalse();
      assertThat(conflicted.putIfMatch(uri, text("x"), "\"abc\"")).isFalse();
      aws.verify(1, putRequestedFor(urlPathEqualTo("/state/gitlab/state.json")).withHeader("If-None-Match", equalTo("*")));
      aws.verify(1, putRequestedFor(urlPathEqualTo("/state/gitlab/state.json")).withHeader("If-Match", equalTo("\"abc\"")));
    } finally {
      aws.stop();
    }
  }

  @Test
  void anotherConflictIsAnErrorNamingTheObject() {
    WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    aws.start();
    try (S3Client client = AwsClients.s3(AwsSettings.from(new Environment(Map.of(
        "AWS_ENDPOINT_URL", "http://127.0.0.1:" + aws.port(), "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1"))))) {
      aws.stubFor(put(urlPathEqualTo("/state/gitlab/state.json")).willReturn(aResponse().withStatus(409)
          .withHeader("Content-Type", "application/xml").withBody("""
              <?xml version="1.0" encoding="UTF-8"?>
              <Error><Code>InvalidBucketState</Code><Message>The request is not valid with the current state of \
              the bucket.</Message><RequestId>1</RequestId><HostId>host</HostId></Error>""")));
      ObjectStore store = new S3ObjectStore(client);
      assertThatThrownBy(() -> store.putIfAbsent(new S3Uri("state", "gitlab/state.json"), text("x")))
          .isInstanceOf(StorageException.class).hasMessageContaining("s3://state/gitlab/state.json")
          .hasMessageContaining("Status Code: 409");
    } finally {
      aws.stop();
    }
  }
}
