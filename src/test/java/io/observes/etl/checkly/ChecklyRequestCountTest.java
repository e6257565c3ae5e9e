package io.observes.etl.checkly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The requests of a first run over 30 days, counted on the fake: two checks, each run every 10
 * minutes in 3 locations (bench/checkly-requests.sh runs the same for 100 checks).
 */
class ChecklyRequestCountTest {
  static final ChecklyRequestCount.Scenario MONTH = new ChecklyRequestCount.Scenario(2, Duration.ofDays(30),
      Duration.ofMinutes(10), List.of("eu-central-1", "us-east-1", "ap-southeast-1"));

  @Test
  void aFirstRunOverThirtyDaysReadsEveryResultInTheRequestsItsWalkNeeds() {
    ChecklyRequestCount.Counts counts = ChecklyRequestCount.firstRun(MONTH);

    // 30 days x 144 runs a day x 3 locations per check, each read once.
    assertThat(counts.results()).isEqualTo(2 * 30 * 144 * 3);
    assertThat(MONTH.results(MONTH.from(), MONTH.to())).isEqualTo(30 * 144 * 3);
    // v2: one walk per check, 12,960 results in pages of 100: 130 requests (the last page has 60).
    assertThat(counts.resultRequests()).isEqualTo(MONTH.v2ResultRequests()).isEqualTo(2 * 130);
    assertThat(counts.otherRequests()).isEqualTo(MONTH.otherRequests());
    // v1 (before v2, measured at c0938c5 with this test): 120 six-hour windows per check of 108
    // results each, two pages (100 and 8) per window.
    assertThat(MONTH.v1ResultRequests()).isEqualTo(2 * 120 * 2);
  }
}
