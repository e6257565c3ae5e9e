package io.observes.etl.checkly;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The requests of a first checkly run on the fake (bench/checkly-requests.sh): by default 100
 * checks, each run every 10 minutes in 3 locations, looking back 30 days. Prints the requests the
 * source made (v2 cursor), measured, and the v1 walk's by the arithmetic of its six-hour windows
 * and pages (the v1 code is gone; measured with this bench at c0938c5, it made exactly that many).
 * Usage: [--checks N] [--days D] [--every-minutes M] [--locations L]
 */
public final class ChecklyRequestsBenchmark {
  private ChecklyRequestsBenchmark() {}

  public static void main(String[] args) {
    int checks = 100;
    int days = 30;
    int every = 10;
    int locations = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int value = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--checks" -> checks = value;
        case "--days" -> days = value;
        case "--every-minutes" -> every = value;
        case "--locations" -> locations = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> where = List.of("eu-central-1", "us-east-1", "ap-southeast-1", "eu-west-1", "us-west-2", "sa-east-1")
        .subList(0, locations);
    ChecklyRequestCount.Scenario scenario = new ChecklyRequestCount.Scenario(checks, Duration.ofDays(days),
        Duration.ofMinutes(every), where);
    long start = System.nanoTime();
    ChecklyRequestCount.Counts counts = ChecklyRequestCount.firstRun(scenario);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "first run: %d checks, %d days, every %d min in %d locations%n", checks, days, every, locations);
    System.out.printf(Locale.ROOT, "measured, v2 cursor: %,d requests (%,d for results, %,d for the account), %,d results read, %.1f s%n",
        counts.requests(), counts.resultRequests(), counts.otherRequests(), counts.results(), seconds);
    System.out.printf(Locale.ROOT, "v1 windows, arithmetic: %,d requests (%,d for results)%n",
        scenario.v1ResultRequests() + scenario.otherRequests(), scenario.v1ResultRequests());
  }
}
