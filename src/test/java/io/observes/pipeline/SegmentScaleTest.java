package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.observes.pipeline.load.ManifestReader;
import io.observes.pipeline.load.SegmentsIncompleteException;
import io.observes.pipeline.stage.StageLayout;
import io.observes.storage.S3Uri;
import io.observes.testing.S3StandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB's most segments, 1,000,000, and what a run of that many costs: nothing per segment up
 * front, and reports that name the segments in ranges instead of one by one.
 */
class SegmentScaleTest {
  static final int MAX = 1_000_000;
  static S3StandIn s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3StandIn();
    s3.createBucket("scale");
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void theTotalIsCappedAtDynamoDbsScanMaximum() {
    assertThat(new Segment(MAX - 1, MAX).total()).isEqualTo(MAX);
    assertThatThrownBy(() -> new Segment(0, MAX + 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 1,000,000").hasMessageContaining("TotalSegments").hasMessageContaining("1,000,001");
    assertThatThrownBy(() -> new Segment(0, 2_000_000_000)).hasMessageContaining("at most 1,000,000");
  }

  @Test
  void aMillionSegmentsThatAllFailEndInABoundedReportQuickly() {
    RuntimeException throttled = new IllegalStateException("scan failed: throttled");
    AtomicInteger ran = new AtomicInteger();
    IllegalStateException failed = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try {
        SegmentedRun.onEverySegment(4, MAX, "staging", i -> {
          ran.incrementAndGet();
          throw throttled;
        });
        return null;
      } catch (IllegalStateException e) {
        return e;
      }
    });

    assertThat(ran).hasValue(MAX);
    assertThat(failed).isNotNull();
    assertThat(failed.getMessage()).startsWith("staging failed for 1,000,000 segment(s) [0-999999]: scan failed: throttled")
        .hasSizeLessThan(1_000);
    assertThat(failed.getCause()).isSameAs(throttled);
  }

  @Test
  void someFailingSegmentsAreNamedOneByOneWithTheirReasons() {
    IllegalStateException failed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> SegmentedRun.onEverySegment(3, 10, "staging", i -> {
          if (i == 1 || i == 4 || i == 5 || i == 6) {
            throw new IllegalStateException("segment " + i + " broke");
          }
        }));
    assertThat(failed.getMessage()).startsWith("staging failed for 4 segment(s) [1, 4-6]: segment 1 broke | segment 4 broke");
    assertThat(failed.getCause()).hasMessage("segment 1 broke");
  }

  @Test
  void aRunWithNoManifestsOfAMillionSegmentsIsToldSoAtOnce() {
    StageLayout layout = new StageLayout("scale", "dynamodb");
    RunId run = new RunId("20261120T030000Z-scale");
    SegmentsIncompleteException missing = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try {
        new ManifestReader(s3.store(), layout).readAll(run, MAX, "Stage them.");
        return null;
      } catch (SegmentsIncompleteException e) {
        return e;
      }
    });
    assertThat(missing).isNotNull();
    assertThat(missing.getMessage()).contains("segment(s) [0-999999] of 1000000").hasSizeLessThan(1_000);
  }

  @Test
  void theMissingSegmentsOfARunAreNamedInRanges() {
    StageLayout layout = new StageLayout("scale", "dynamodb");
    RunId run = new RunId("20261120T030000Z-gaps");
    for (int segment : new int[] {5, 7}) {
      s3.store().put(layout.manifest(run, segment), "{}".getBytes(StandardCharsets.UTF_8));
    }
    s3.store().put(new S3Uri("scale", layout.segment(run, 3).key() + "table/part-0.csv.gz"), new byte[] {1});
    assertThatThrownBy(() -> new ManifestReader(s3.store(), layout).readAll(run, 10, "Stage them."))
        .isInstanceOf(SegmentsIncompleteException.class)
        .hasMessageContaining("segment(s) [0-4, 6, 8-9] of 10");
  }

  @Test
  void schemaPassesMergeInSegmentOrderWhateverOrderTheyFinishIn() throws Exception {
    InferenceMerge merge = new InferenceMerge(8, 4);
    java.util.List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, 40).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(7));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(40);
    try {
      java.util.List<java.util.concurrent.Future<?>> added = new java.util.ArrayList<>();
      for (int segment : order) {
        added.add(pool.submit(() -> {
          // Segment 3 failed: it has no pass, and the ones after it are merged all the same.
          SchemaInference pass = segment == 3 ? null : new SchemaInference(8).observe(java.util.stream.Stream.of(
              new SourceRecord("items", java.util.List.of("i" + segment), (io.observes.pipeline.value.Value.Obj)
                  io.observes.pipeline.value.JsonValues.parse("{\"f" + segment + "\": " + segment + "}"))));
          merge.add(segment, pass);
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : added) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    SchemaInference all = merge.merged();
    assertThat(all.records()).isEqualTo(39);
    assertThat(all.stats().values().iterator().next().keySet().stream().map(Object::toString).filter(p -> p.startsWith("f")))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 40).filter(i -> i != 3).mapToObj(i -> "f" + i).toList());
  }
}
