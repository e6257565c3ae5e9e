package io.observes.etl.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.etl.dynamo.IncrementalWindows.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncrementalWindowsTest {
  static final Instant T = Instant.parse("2026-11-23T03:00:00.750Z");

  @Test
  void lessThanFifteenMinutesWaitsForTheNextRun() {
    assertThat(IncrementalWindows.plan(T, T.plus(Duration.ofMinutes(14)))).isEmpty();
    assertThat(IncrementalWindows.plan(T, T.minusSeconds(60))).isEmpty();
  }

  @Test
  void aSpanIsCutIntoTheFewestWindowsOfWholeSecondsThatTouch() {
    assertThat(IncrementalWindows.plan(T, T.plus(Duration.ofMinutes(40)))).containsExactly(
        new Window(Instant.parse("2026-11-23T03:00:00Z"), Instant.parse("2026-11-23T03:40:00Z")));
    // A day and ten minutes: two windows of half of it, never one of ten minutes.
    List<Window> two = IncrementalWindows.plan(T, T.plus(Duration.ofHours(24).plusMinutes(10)));
    assertThat(two).hasSize(2);
    assertThat(Duration.between(two.get(0).from(), two.get(0).to())).isEqualTo(Duration.ofHours(12).plusMinutes(5));
    Random random = new Random(18);
    for (int i = 0; i < 1000; i++) {
      Instant until = T.plusSeconds(900 + random.nextInt(10 * 86_400));
      List<Window> windows = IncrementalWindows.plan(T, until);
      assertThat(windows.get(0).from()).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
      assertThat(windows.get(windows.size() - 1).to()).isEqualTo(until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      for (int w = 1; w < windows.size(); w++) {
        assertThat(windows.get(w).from()).isEqualTo(windows.get(w - 1).to());
      }
      assertThat(windows.size()).isEqualTo((int) Math.ceil(Duration.between(windows.get(0).from(),
          windows.get(windows.size() - 1).to()).toSeconds() / 86_400.0));
    }
  }

  @Test
  void aWindowOutsideDynamoDbsBoundsIsRefused() {
    assertThatThrownBy(() -> new Window(T, T.plus(Duration.ofMinutes(14))))
        .hasMessageContaining("15 minutes to 24 hours");
    assertThatThrownBy(() -> new Window(T, T.plus(Duration.ofHours(25)))).hasMessageContaining("15 minutes to 24 hours");
  }
}
