package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PrefetchTest {
  private static SourceRecord record(int i, int chars) {
    return new SourceRecord("s", List.of(Integer.toString(i)),
        new Value.Obj(Map.of("i", Value.Numeric.of(i), "text", new Value.Text("x".repeat(chars)))));
  }

  @Test
  void deliversEveryRecordInOrderWithinTheByteBudget() {
    // 2,000 records of ~20 KiB through a 256 KiB budget: at most ~12 may wait at any time.
    Prefetch prefetch = Prefetch.start(IntStream.range(0, 2000).mapToObj(i -> record(i, 10_000)), 256 * 1024, "t");
    List<Integer> seen = new ArrayList<>();
    while (prefetch.hasNext()) {
      seen.add(((Value.Numeric) prefetch.next().value().fields().get("i")).value().intValue());
      assertThat(prefetch.peakKib()).isLessThanOrEqualTo(prefetch.budgetKib());
    }
    assertThat(seen).hasSize(2000).isSorted();
    assertThat(prefetch.peakKib()).isGreaterThan(0);
  }

  @Test
  void aSourceThatWaitsForItsPagesIsReadFurtherAheadEachTime() {
    // Pages of 20 small records, each page fetched in 30 ms (parked, as a thread waiting for the network
    // is): the reader runs dry at every page and waits while the source sleeps, so the window doubles
    // from 256 KiB to the 4 MiB budget in four pages.
    Stream<SourceRecord> paged = IntStream.range(0, 12 * 20).mapToObj(i -> {
      if (i % 20 == 0 && i > 0) {
        LockSupport.parkNanos(30_000_000L);
      }
      return record(i, 100);
    });
    Prefetch prefetch = Prefetch.start(paged, 4 << 20, "t");
    List<Integer> windows = new ArrayList<>();
    int records = 0;
    while (prefetch.hasNext()) {
      prefetch.next();
      records++;
      windows.add(prefetch.windowKib());
    }
    assertThat(records).isEqualTo(240);
    assertThat(windows.get(0)).isEqualTo(Prefetch.NEAR_KIB);
    assertThat(windows).containsSubsequence(256, 512, 1024, 2048, 4096);
    assertThat(prefetch.windowKib()).isEqualTo(4096);
  }

  @Test
  void aSourceThatKeepsUpIsReadOnlyTheNearWindowAhead() {
    assumeTrue(NativeThread.current().isPresent(), "needs /proc to tell a sleeping source from a busy one");
    // Records made as fast as the reader takes them (no waiting in the source): however long the reader
    // waits for the core, the window stays where it started, far below the budget.
    Prefetch prefetch = Prefetch.start(IntStream.range(0, 20_000).mapToObj(i -> record(i, 1_000)), 4 << 20, "t");
    long checksum = 0;
    while (prefetch.hasNext()) {
      checksum += prefetch.next().value().fields().size();
    }
    assertThat(checksum).isEqualTo(40_000);
    assertThat(prefetch.windowKib()).isEqualTo(Prefetch.NEAR_KIB);
    assertThat(prefetch.peakKib()).isLessThanOrEqualTo(Prefetch.NEAR_KIB);
  }

  @Test
  void aRecordLargerThanTheBudgetStillPasses() {
    List<SourceRecord> out = Prefetch.of(Stream.of(record(1, 600_000), record(2, 10)), 64 * 1024, "t").toList();
    assertThat(out).hasSize(2);
  }

  @Test
  void aSourceFailureReachesTheReader() {
    Stream<SourceRecord> failing = IntStream.range(0, 10).mapToObj(i -> {
      if (i == 5) {
        throw new IllegalStateException("page 5 could not be read");
      }
      return record(i, 10);
    });
    Stream<SourceRecord> records = Prefetch.of(failing, 1 << 20, "t");
    assertThatThrownBy(records::count).hasMessageContaining("page 5 could not be read");
  }

  @Test
  void anErrorOfTheSourceEndsTheStreamInsteadOfLeavingTheReaderWaiting() {
    Stream<SourceRecord> failing = IntStream.range(0, 10).mapToObj(i -> {
      if (i == 3) {
        throw new StackOverflowError("the parser recursed too deep");
      }
      return record(i, 10);
    });
    Stream<SourceRecord> records = Prefetch.of(failing, 1 << 20, "t");
    assertThatThrownBy(records::count).isInstanceOf(StackOverflowError.class).hasMessageContaining("too deep");
  }

  @Test
  void closingTheStreamClosesTheSource() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    Stream<SourceRecord> endless = Stream.iterate(0, i -> i + 1).map(i -> record(i, 100)).onClose(() -> closed.set(true));
    try (Stream<SourceRecord> records = Prefetch.of(endless, 64 * 1024, "t")) {
      assertThat(records.limit(3).count()).isEqualTo(3);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!closed.get() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(closed).isTrue();
  }
}
