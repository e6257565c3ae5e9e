package io.observes.etl.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Windows of a walk: halved when GitLab does not count them, the next sized from the density of the last. */
class WindowTest {
  static final Instant A = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant TO = Instant.parse("2026-04-01T00:00:00Z");

  @Test
  void halvingKeepsTheStartAndCutsAtTheMillisecond() {
    Window half = Window.whole(A, A.plusMillis(3)).firstHalf();
    assertThat(half).isEqualTo(new Window(A, A, A.plusMillis(1)));
    assertThat(Window.whole(A, TO).firstHalf().before()).isEqualTo(Instant.parse("2026-03-16T12:00:00Z"));
    // From the beginning, a window is halved once its oldest object showed where its span starts.
    Window beginning = Window.whole(null, TO);
    assertThatThrownBy(beginning::firstHalf).isInstanceOf(IllegalStateException.class);
    assertThat(beginning.spanFrom(A).firstHalf()).isEqualTo(new Window(null, A, Instant.parse("2026-03-16T12:00:00Z")));
    assertThat(beginning.toString()).isEqualTo("(the beginning, 2026-04-01T00:00:00Z]");
  }

  @Test
  void aWindowOfASecondOrLessIsTheFinest() {
    assertThat(Window.whole(A, A.plusSeconds(1)).finest()).isTrue();
    assertThat(Window.whole(A, A.plusMillis(1001)).finest()).isFalse();
    assertThat(Window.whole(null, A).finest()).as("span unknown").isFalse();
  }

  @Test
  void theNextWindowHoldsAboutTheTargetAtTheLastOnesDensity() {
    Window day = Window.whole(A, A.plus(Duration.ofDays(1)));
    // 10,000 in a day: the next holds half a day; 2,500: two days; none: all the rest.
    assertThat(day.next(10_000, TO)).contains(Window.whole(day.before(), day.before().plus(Duration.ofHours(12))));
    assertThat(day.next(2_500, TO)).contains(Window.whole(day.before(), day.before().plus(Duration.ofDays(2))));
    assertThat(day.next(0, TO)).contains(Window.whole(day.before(), TO));
    assertThat(day.next(1, TO)).as("never past the end").contains(Window.whole(day.before(), TO));
    // Never narrower than a second, and none after the end.
    assertThat(Window.whole(A, A.plusMillis(10)).next(10_000, TO).orElseThrow().before()).isEqualTo(A.plusMillis(1010));
    assertThat(Window.whole(A, TO).next(5, TO)).isEmpty();
  }
}
