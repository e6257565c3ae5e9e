package io.observes.cli;

import io.observes.pipeline.DryRun;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.SourceRun;
import io.observes.pipeline.stage.Manifest;
import java.io.PrintWriter;

/** What an API ETL prints: per table the rows loaded (or that would be), the streams, and the state. */
final class ApiEtlOutput {
  private ApiEtlOutput() {}

  /** One run (or dry run) of {@code source} into {@code schema}, its progress shown, its outcome printed. */
  static void run(ApiEtl etl, io.observes.pipeline.Source source, String schema, boolean dryRun, PrintWriter out) {
    ReadProgress read = new ReadProgress();
    try (Progress progress = new Progress(source.name(), read)) {
      if (dryRun) {
        print(out, schema, etl.dryRun(source, schema, read), read);
      } else {
        print(out, schema, etl.run(source, schema, read), read);
      }
    }
  }

  static void print(PrintWriter out, String schema, SourceRun.Report report, ReadProgress read) {
    out.printf("Published run %s into %s:%n", report.run(), schema);
    DynamoCommand.printRows(out, report.published().rows());
    DynamoCommand.printStreams(out, report.published().streams());
    out.printf("Read %,d records in %,d requests%s.%n", read.records(), read.pages(),
        report.repeats() == 0 ? "" : "; " + report.repeats() + " record(s) read twice were loaded once");
    state(out, report.before().map(v -> v.data().toString()).orElse(null), report.after().map(Object::toString).orElse(null));
    out.flush();
  }

  static void print(PrintWriter out, String schema, DryRun.Report report, ReadProgress read) {
    out.printf("Dry run %s: nothing was loaded and the state is unchanged. %s would get:%n", report.run(), schema);
    for (Manifest.TableManifest table : report.manifest().tables()) {
      String name = report.schema().table(table.key()).map(t -> t.name()).orElse(table.key().toString());
      out.printf("  %-60s %,12d rows%s%n", name, table.rows(), table.rejected() == 0 ? "" : ", " + table.rejected()
          + " values rejected");
    }
    DynamoCommand.printStreams(out, report.streams());
    out.printf("Read %,d records in %,d requests; staged files in %s%n", read.records(), read.pages(), report.staged());
    state(out, report.before().map(v -> v.data().toString()).orElse(null), report.after().map(Object::toString).orElse(null));
    out.flush();
  }

  private static void state(PrintWriter out, String before, String after) {
    if (before == null && after == null) {
      return;
    }
    out.printf("State before: %s%n", before == null ? "none (first run)" : before);
    out.printf("State after:  %s%n", after == null ? "unchanged" : after);
  }
}
