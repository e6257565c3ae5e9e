package io.observes.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The peer figure of the benchmark: DuckDB's read_json of the same file written as plain CSV (and
 * as zstd CSV), one DuckDB thread, run by {@code bench/duckdb-csv.py} in a child process that
 * inherits this one's CPU affinity ({@code taskset}). Absent when Python has no duckdb module: the
 * benchmark says so and prints no figure.
 */
final class DuckDbPeer {
  /** One measured DuckDB pass: what it wrote, seconds, output bytes. */
  record Figure(String what, double seconds, long outputBytes, double cpuSeconds) {}

  /** DuckDB's version and figures, or why there are none. */
  record Result(String version, List<Figure> figures, String absent) {
    void addTo(BenchTable table, double mb, long records) {
      for (Figure f : figures) {
        table.add("(p) DuckDB " + version + " " + f.what(), (long) (f.seconds() * 1e9), mb, records, Double.NaN,
            String.format(Locale.ROOT, "%.1f MB out, %.2f s CPU; one thread, nested values kept as STRUCT/LIST text", f.outputBytes() / 1e6,
                f.cpuSeconds()));
      }
    }

    /** The stage step's input MB/s against DuckDB's plain CSV, on the same file: by the clock and by CPU time. */
    String comparedWith(long stageNanos, long stageCpuNanos, double mb) {
      if (absent != null) {
        return "stage vs DuckDB: " + absent;
      }
      Figure plain = figures.get(0);
      return String.format(Locale.ROOT, "stage (b) vs DuckDB %s plain CSV: %.2fx its input MB/s (%.1f vs %.1f MB/s); "
          + "by CPU time %.2fx (%.2f vs %.2f CPU s)", version, plain.seconds() / (stageNanos / 1e9), mb / (stageNanos / 1e9),
          mb / plain.seconds(), plain.cpuSeconds() / (stageCpuNanos / 1e9), stageCpuNanos / 1e9, plain.cpuSeconds());
    }
  }

  private DuckDbPeer() {}

  static Result measure(Path jsonl, Path outDir, int rounds) throws IOException, InterruptedException {
    Process probe = new ProcessBuilder("python3", "-c", "import duckdb").redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    if (!probe.waitFor(60, TimeUnit.SECONDS) || probe.exitValue() != 0) {
      return new Result(null, List.of(), "no DuckDB: python3 has no duckdb module (pip install duckdb) - not measured");
    }
    Process duck = new ProcessBuilder("python3", "bench/duckdb-csv.py", jsonl.toString(), outDir.toString(),
        Integer.toString(rounds))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(duck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!duck.waitFor(10, TimeUnit.MINUTES) || duck.exitValue() != 0) {
      throw new IllegalStateException("bench/duckdb-csv.py failed: " + out);
    }
    String version = null;
    List<Figure> figures = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      String[] f = line.trim().split(" ");
      if (f[0].equals("duckdb")) {
        version = f[1];
      } else {
        figures.add(new Figure(f[0], Double.parseDouble(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3])));
      }
    }
    return new Result(version, figures, null);
  }
}
