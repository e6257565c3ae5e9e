package io.observes.jobs.warehouse;

import io.observes.pipeline.RunId;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.WriteMode;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.Value;
import io.observes.warehouse.WarehouseProbe;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Question 5: a merged table kept across runs widens in place through {@code publishInPlace} as later
 * runs bring longer text and larger numbers, the types inferred and widened by the pipeline itself
 * (schema cache, lattice), the values of earlier runs kept exact: VARCHAR(16) to VARCHAR(64), then
 * SMALLINT to INTEGER to BIGINT to NUMERIC(38,2), one merged run per step.
 */
final class WideningQuestion {
  static final String QUESTION = "widening in place";
  static final StreamSpec STREAM = StreamSpec.of("widening", WriteMode.MERGE, "id");

  /** One merged run: what it widens, the rows it brings (id -> n, v), and the types the table must have after it. */
  record Step(String widens, Map<String, Value.Numeric> numbers, Map<String, String> texts, ColumnType n, ColumnType v) {}

  static final List<Step> STEPS = steps();

  private final ScratchTarget target;
  private final WarehouseProbe probe;

  WideningQuestion(ScratchTarget target, WarehouseProbe probe) {
    this.target = target;
    this.probe = probe;
  }

  private static List<Step> steps() {
    List<Step> steps = new ArrayList<>();
    steps.add(step("n created SMALLINT, v VARCHAR(16)", ColumnType.SMALLINT, ColumnType.varcharExactly(16),
        "s1-max", Value.Numeric.of(Short.MAX_VALUE), text("run one", 10),
        "s1-min", Value.Numeric.of(Short.MIN_VALUE), text("run one, min", 12)));
    steps.add(step("v VARCHAR(16) -> VARCHAR(64)", ColumnType.SMALLINT, ColumnType.varcharExactly(64),
        "s2", Value.Numeric.of(7), text("run two, longer text \u00e9\u20ac", 50)));
    steps.add(step("n SMALLINT -> INTEGER", ColumnType.INTEGER, ColumnType.varcharExactly(64),
        "s3-max", Value.Numeric.of(Integer.MAX_VALUE), text("run three", 9),
        "s3-min", Value.Numeric.of(Integer.MIN_VALUE), text("run three, min", 14)));
    steps.add(step("n INTEGER -> BIGINT", ColumnType.BIGINT, ColumnType.varcharExactly(64),
        "s4-max", Value.Numeric.of(Long.MAX_VALUE), text("run four", 8),
        "s4-min", Value.Numeric.of(Long.MIN_VALUE), text("run four, min", 13)));
    steps.add(step("n BIGINT -> NUMERIC(38,2)", ColumnType.numeric(38, 2), ColumnType.varcharExactly(64),
        "s5-max", Value.Numeric.of("999999999999999999999999999999999999.99"), text("run five", 8),
        "s5-min", Value.Numeric.of("-123456789012345678901234567890123456.78"), text("run five, min", 13)));
    return List.copyOf(steps);
  }

  private static Step step(String widens, ColumnType n, ColumnType v, Object... rows) {
    Map<String, Value.Numeric> numbers = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    for (int i = 0; i < rows.length; i += 3) {
      numbers.put((String) rows[i], (Value.Numeric) rows[i + 1]);
      texts.put((String) rows[i], (String) rows[i + 2]);
    }
    return new Step(widens, numbers, texts, n, v);
  }

  /** {@code prefix} padded with 'x' to exactly {@code bytes} UTF-8 bytes. */
  static String text(String prefix, int bytes) {
    StringBuilder text = new StringBuilder(prefix);
    while (text.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
      text.append('x');
    }
    return text.toString();
  }

  Answer ask(int number) {
    String schema = target.target().schema();
    Map<String, Value.Numeric> numbers = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    List<String> done = new ArrayList<>();
    for (int i = 0; i < STEPS.size(); i++) {
      Step step = STEPS.get(i);
      RunId run = new RunId("widen-" + (i + 1));
      List<SourceRecord> records = new ArrayList<>();
      step.numbers().forEach((id, n) -> {
        Map<String, Value> fields = new LinkedHashMap<>();
        fields.put("id", new Value.Text(id));
        fields.put("n", n);
        fields.put("v", new Value.Text(step.texts().get(id)));
        records.add(STREAM.record(new Value.Obj(fields)));
      });
      Schema pinned;
      try {
        pinned = target.stageAndLoad(run, records);
        target.publish(run);
      } catch (RuntimeException e) {
        return Answer.fail(number, QUESTION, "merged run " + (i + 1) + " of " + STEPS.size() + " (" + step.widens()
            + ") failed in publishInPlace or before: " + Answer.message(e) + done(done));
      }
      numbers.putAll(step.numbers());
      texts.putAll(step.texts());
      String table = ScratchTarget.table(pinned, STREAM.name()).name();
      String id = ScratchTarget.column(pinned, STREAM.name(), "id");
      String n = ScratchTarget.column(pinned, STREAM.name(), "n");
      String v = ScratchTarget.column(pinned, STREAM.name(), "v");
      List<String> problems = new ArrayList<>();
      Map<String, Optional<ColumnType>> types = probe.columnTypes(schema, table);
      check(problems, n, types.get(n), step.n());
      check(problems, v, types.get(v), step.v());
      Map<String, BigDecimal> readNumbers = probe.numbers(schema, table, id, n);
      Map<String, Map<String, String>> readTexts = probe.texts(schema, table, id, List.of(v));
      for (Map.Entry<String, Value.Numeric> row : numbers.entrySet()) {
        BigDecimal read = readNumbers.get(row.getKey());
        if (read == null || read.compareTo(row.getValue().value()) != 0) {
          problems.add("row " + row.getKey() + ": " + n + " expected " + row.getValue().text() + ", read "
              + (readNumbers.containsKey(row.getKey()) ? read : "no row"));
        }
        String text = readTexts.getOrDefault(row.getKey(), Map.of()).get(v);
        if (!texts.get(row.getKey()).equals(text)) {
          problems.add("row " + row.getKey() + ": " + v + " expected '" + texts.get(row.getKey()) + "', read '" + text + "'");
        }
      }
      if (readNumbers.size() != numbers.size()) {
        problems.add(schema + "." + table + " holds " + readNumbers.size() + " rows, expected " + numbers.size());
      }
      if (!problems.isEmpty()) {
        return Answer.fail(number, QUESTION, "after merged run " + (i + 1) + " (" + step.widens() + "): "
            + String.join("; ", problems) + done(done));
      }
      done.add(step.widens());
    }
    Step last = STEPS.get(STEPS.size() - 1);
    return Answer.pass(number, QUESTION, STEPS.size() + " merged runs through publishInPlace widened " + schema + "."
        + STREAM.name() + " in place: " + String.join(", ", done.subList(1, done.size())) + "; all " + numbers.size()
        + " rows of every run read back exact after each run (e.g. " + Short.MAX_VALUE + " and " + Long.MIN_VALUE + " as "
        + last.n() + ")");
  }

  private static void check(List<String> problems, String column, Optional<ColumnType> has, ColumnType expected) {
    if (has == null || has.isEmpty() || !has.get().equals(expected)) {
      problems.add("column " + column + " is " + (has == null ? "missing" : has.map(ColumnType::toString).orElse("of a type "
          + "Observes does not create")) + ", expected " + expected);
    }
  }

  private static String done(List<String> done) {
    return done.isEmpty() ? "" : " (done before it: " + String.join("; ", done) + ")";
  }
}
