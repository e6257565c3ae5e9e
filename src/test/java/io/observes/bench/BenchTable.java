package io.observes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one benchmark run: time, input MB/s, records/s and rows/s per step. */
final class BenchTable {
  private final List<String[]> rows = new ArrayList<>();

  /** One step; {@code mb}, {@code records} or {@code rows} NaN where the rate means nothing. */
  void add(String step, long nanos, double mb, double records, double rows, String notes) {
    double seconds = nanos / 1e9;
    this.rows.add(new String[] {step, String.format(Locale.ROOT, "%.2f", seconds),
        Double.isNaN(mb) ? "-" : String.format(Locale.ROOT, "%.1f", mb / seconds), rate(records / seconds),
        rate(rows / seconds), notes});
  }

  private static String rate(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  void print() {
    String[] head = {"step", "time s", "input MB/s", "records/s", "rows/s", "notes"};
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    String fmt = "%-" + w[0] + "s  %" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s  %" + w[4] + "s  %s%n";
    System.out.printf(Locale.ROOT, fmt, (Object[]) head);
    System.out.println("-".repeat(w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + 10));
    for (String[] r : rows) {
      System.out.printf(Locale.ROOT, fmt, (Object[]) r);
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }
}
