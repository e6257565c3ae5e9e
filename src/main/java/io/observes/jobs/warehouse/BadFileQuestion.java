package io.observes.jobs.warehouse;

import io.observes.pipeline.RunId;
import io.observes.pipeline.StreamSpec;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.value.Value;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.Compression;
import io.observes.warehouse.LoadedTable;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Question 9: a staged file damaged after staging (one INTEGER value replaced by text, as a
 * truncated upload or a hand edit would) must fail its load with an error that says where, and
 * leave nothing of it committed. The file is staged by the product's stager and loaded by its load;
 * only the one value is changed, in place, in the data bucket.
 */
final class BadFileQuestion {
  static final String QUESTION = "bad file fails cleanly";
  static final StreamSpec STREAM = Probes.stream("bad_load").typed("amount", ColumnType.INTEGER);

  /** The staged value that is damaged, and what it becomes. */
  static final String GOOD = "\"202\"";
  static final String BAD = "\"2O2\"";

  private final ScratchTarget target;
  private final WarehouseClient warehouse;
  private final WarehouseProbe probe;
  private final ObjectStore store;

  BadFileQuestion(ScratchTarget target, WarehouseClient warehouse, WarehouseProbe probe, ObjectStore store) {
    this.target = target;
    this.warehouse = warehouse;
    this.probe = probe;
    this.store = store;
  }

  Answer ask(int number) {
    RunId run = new RunId("bad-file");
    Schema base = target.base();
    Manifest manifest = target.stage(run, base, List.of(
        Probes.record(STREAM, "first", "amount", Value.Numeric.of(101)),
        Probes.record(STREAM, "second", "amount", Value.Numeric.of(202)),
        Probes.record(STREAM, "third", "amount", Value.Numeric.of(303))));
    Manifest.TableManifest staged = manifest.tables().stream().filter(t -> t.key().equals(TableKey.root(STREAM.name())))
        .findFirst().orElseThrow(() -> new IllegalStateException("the stager staged no " + STREAM.name() + " table"));
    if (staged.parts().size() != 1) {
      throw new IllegalStateException("expected one staged part of " + STREAM.name() + ", found " + staged.parts().size());
    }
    String file = staged.parts().get(0).uri();
    int line = damage(S3Uri.parse(file), manifest.compressionOrGzip());
    Schema schema = target.prepare(run, base);
    String table = ScratchTarget.table(schema, STREAM.name()).name();
    String column = ScratchTarget.column(schema, STREAM.name(), "amount");
    String staging = target.target().staging();
    String what = "the load of " + file + " (line " + line + " holds " + BAD + " in INTEGER column " + column + ")";
    String message;
    try {
      target.load(run);
      return Answer.fail(number, QUESTION, what + " was expected to fail, but it loaded "
          + warehouse.countRowsIfExists(staging, table).orElse(-1) + " rows into " + staging + "." + table);
    } catch (RuntimeException e) {
      message = Answer.message(e);
    }
    List<String> problems = new ArrayList<>();
    OptionalLong rows = warehouse.countRowsIfExists(staging, table);
    if (rows.isEmpty() || rows.getAsLong() != 0) {
      problems.add(staging + "." + table + " holds " + (rows.isEmpty() ? "no table" : rows.getAsLong() + " rows")
          + " after the failed load, expected 0 rows");
    }
    Map<String, LoadedTable> loaded = warehouse.loadedTables(staging, run.value());
    if (loaded.containsKey(table)) {
      problems.add("the failed load of " + table + " is recorded as loaded (" + loaded.get(table).rows() + " rows)");
    }
    String lower = message.toLowerCase(Locale.ROOT);
    boolean namesLine = lower.contains("line " + line) || lower.contains("line_number " + line)
        || lower.contains("line: " + line);
    boolean namesColumn = lower.contains(column.toLowerCase(Locale.ROOT));
    String fileName = file.substring(file.lastIndexOf('/') + 1);
    boolean namesFile = message.contains(file) || message.contains(file.substring("s3://".length()))
        || message.contains(fileName);
    if (!namesLine) {
      problems.add("the error does not name line " + line);
    }
    if (!namesColumn) {
      problems.add("the error does not name column " + column);
    }
    boolean redshift = probe.redshiftEngine();
    if (redshift && !namesFile) {
      problems.add("the error does not name the file " + file + " (Redshift's STL_LOAD_ERRORS / SYS_LOAD_ERROR_DETAIL "
          + "should have given it)");
    }
    if (!problems.isEmpty()) {
      return Answer.fail(number, QUESTION, what + " failed with \"" + message + "\"; but " + String.join("; ", problems));
    }
    return Answer.pass(number, QUESTION, what + " failed with \"" + message + "\"; it names line " + line + " and column "
        + column + (namesFile ? " and the file" : ", not the file (PostgreSQL reads every staged file of a table through "
        + "one COPY FROM STDIN, so its message names the line and column only)") + "; nothing was committed: "
        + staging + "." + table + " holds 0 rows and no load of it is recorded");
  }

  /** Replaces the staged {@link #GOOD} value by {@link #BAD} in the compressed part; returns its line (from 1). */
  private int damage(S3Uri part, Compression compression) {
    String csv;
    try (InputStream in = compression.decompress(store.open(part))) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the staged part " + part + ": " + e.getMessage(), e);
    }
    int at = csv.indexOf(GOOD);
    if (at < 0 || csv.indexOf(GOOD, at + 1) >= 0) {
      throw new IllegalStateException("expected the staged part " + part + " to hold " + GOOD + " once");
    }
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (csv.charAt(i) == '\n') {
        line++;
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = compression.compress(bytes, SegmentStager.ZSTD_LEVEL)) {
      out.write(csv.replace(GOOD, BAD).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not compress the damaged part: " + e.getMessage(), e);
    }
    store.put(part, bytes.toByteArray());
    return line;
  }
}
