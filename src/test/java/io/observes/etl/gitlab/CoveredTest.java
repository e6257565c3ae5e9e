package io.observes.etl.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Covered intervals: appended, joined when they touch, the next run resuming at the end. */
class CoveredTest {
  static final Instant A = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant B = Instant.parse("2026-01-02T00:00:00Z");
  static final Instant C = Instant.parse("2026-01-03T00:00:00Z");
  static final Instant D = Instant.parse("2026-01-04T00:00:00Z");

  @Test
  void touchingIntervalsJoinAndTheNextRunResumesAtTheEnd() {
    Covered covered = Covered.none().plus(null, B).plus(B, C);
    assertThat(covered.intervals()).containsExactly(new Covered.Interval(null, C));
    assertThat(covered.resumeFrom(A)).isEqualTo(C);
    assertThat(Covered.none().resumeFrom(A)).isEqualTo(A);
    assertThat(Covered.none().resumeFrom(null)).isNull();
  }

  @Test
  void aGapStaysVisibleAndOverlapsJoin() {
    Covered covered = Covered.none().plus(A, B).plus(C, D);
    assertThat(covered.intervals()).hasSize(2);
    assertThat(covered.plus(B, C).intervals()).containsExactly(new Covered.Interval(A, D));
    assertThat(Covered.none().plus(A, C).plus(B, D).intervals()).containsExactly(new Covered.Interval(A, D));
    assertThat(Covered.none().plus(A, D).plus(B, C).intervals()).containsExactly(new Covered.Interval(A, D));
  }

  @Test
  void anEmptyIntervalChangesNothing() {
    assertThat(Covered.none().plus(B, B).intervals()).isEmpty();
    assertThat(Covered.none().plus(C, B).intervals()).isEmpty();
    assertThat(new Covered(null).intervals()).isEqualTo(List.of());
  }
}
