package io.observes.jobs.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void waitsDoubleAndHalfOfEachIsJitter() {
    assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoff(1, 0.999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
    assertThat(policy.backoff(2, 0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(4, 0.5)).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void waitsStopGrowingAtTheMaximum() {
    assertThat(policy.backoff(6, 0)).isEqualTo(Duration.ofSeconds(15));
    assertThat(policy.backoff(1000, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void nonsenseIsRejected() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(5, Duration.ofSeconds(3), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.backoff(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.backoff(1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
