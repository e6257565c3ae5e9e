package io.observes.bench;

import io.observes.testing.PostgresStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on: they only compare within one run on one machine. */
final class Machine {
  private Machine() {}

  static void print(PostgresStandIn pg, String loadBefore) throws Exception {
    Runtime rt = Runtime.getRuntime();
    String pgVersion = pg.rows("SHOW server_version").get(0).values().iterator().next();
    System.out.printf(Locale.ROOT, "machine: %d cores (availableProcessors), max heap %d MiB, %s%n",
        rt.availableProcessors(), rt.maxMemory() >> 20, cpuModel());
    System.out.printf(Locale.ROOT, "         Java %s (%s), %s %s %s; PostgreSQL %s (embedded, fsync off)%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("os.arch"), pgVersion);
    System.out.printf(Locale.ROOT, "         load average (1/5/15 min) at start %s, at end %s"
        + " (other processes on the machine skew the figures)%n", loadBefore, loadAverage());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("cpu model unknown");
    } catch (IOException | RuntimeException e) {
      return "cpu model unknown";
    }
  }

  /** CPU time of this JVM, every thread (GC and compiler threads too). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
