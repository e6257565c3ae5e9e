package io.observes.jobs.warehouse;

import io.observes.pipeline.RunId;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.StreamSpec;
import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.value.Value;
import io.observes.warehouse.Dialect;
import io.observes.warehouse.WarehouseProbe;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Questions 1 to 3: values staged by the product's stager, loaded by its load, read back from the
 * staging schema. Each question is a run of its own (stage, prepare, load), so one refused COPY
 * spoils only its own answer; when a run of several values is refused, each value is loaded alone to
 * name the ones the warehouse refuses.
 */
final class ValueQuestions {
  static final String NULLS_QUESTION = "NULL marker and empty string";
  static final String TIMESTAMPS_QUESTION = "timestamps load exactly";
  static final String DOUBLES_QUESTION = "DOUBLE PRECISION extremes round-trip";

  /** Every column type Observes creates, as a declared column of the nulls stream. */
  private static final Map<String, ColumnType> TYPES = types();

  static final StreamSpec NULLS = nullsStream();
  static final StreamSpec TIMESTAMPS = Probes.stream("timestamps").typed("at", ColumnType.TIMESTAMPTZ);
  static final StreamSpec DOUBLES = Probes.stream("doubles").typed("value", ColumnType.DOUBLE);

  static final List<StreamSpec> STREAMS = List.of(NULLS, TIMESTAMPS, DOUBLES, LongTextQuestion.LONG_TEXT);

  /** Timestamps as sources send them and the stager stages them (unchanged): 'T', offsets, 0-6 fraction digits, years 1 and 9999. */
  static final List<String> TIMESTAMP_TEXTS = List.of(
      "2024-03-05T06:07:08Z",
      "2024-03-05T06:07:08.1Z",
      "2024-03-05T06:07:08.12Z",
      "2024-03-05T06:07:08.123Z",
      "2024-03-05T06:07:08.1234Z",
      "2024-03-05T06:07:08.12345Z",
      "2024-03-05T06:07:08.123456Z",
      "2024-03-05T06:07:08+05:30",
      "2024-03-05T06:07:08.1+05:30",
      "2024-03-05T06:07:08.12+05:30",
      "2024-03-05T06:07:08.123+05:30",
      "2024-03-05T06:07:08.1234+05:30",
      "2024-03-05T06:07:08.12345+05:30",
      "2024-03-05T06:07:08.123456+05:30",
      "2024-02-29T23:59:59.999999-03:00",
      "0001-01-01T00:00:00Z",
      "0001-01-01T05:30:00.000001+05:30",
      "9999-12-31T23:59:59.999999Z",
      "9999-12-31T23:59:59.999999+05:30");

  /** Doubles a source may hand out, by probe name; the subnormal one is expected not to be staged. */
  static final Map<String, Double> DOUBLE_VALUES = doubles();
  static final String SUBNORMAL = "subnormal";

  private final ScratchTarget target;
  private final WarehouseProbe probe;
  private final ProbeLoad loads;

  ValueQuestions(ScratchTarget target, WarehouseProbe probe) {
    this.target = target;
    this.probe = probe;
    this.loads = new ProbeLoad(target);
  }

  private static Map<String, ColumnType> types() {
    Map<String, ColumnType> types = new LinkedHashMap<>();
    types.put("c_smallint", ColumnType.SMALLINT);
    types.put("c_integer", ColumnType.INTEGER);
    types.put("c_bigint", ColumnType.BIGINT);
    types.put("c_numeric", ColumnType.numeric(18, 4));
    types.put("c_double", ColumnType.DOUBLE);
    types.put("c_boolean", ColumnType.BOOLEAN);
    types.put("c_timestamptz", ColumnType.TIMESTAMPTZ);
    types.put("c_varchar", ColumnType.varcharExactly(64));
    return types;
  }

  private static StreamSpec nullsStream() {
    StreamSpec spec = Probes.stream("nulls");
    for (Map.Entry<String, ColumnType> type : types().entrySet()) {
      spec = spec.typed(type.getKey(), type.getValue());
    }
    return spec.typed("c_empty", ColumnType.varcharExactly(64));
  }

  private static Map<String, Double> doubles() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("largest", Double.MAX_VALUE);
    values.put("smallest_normal", Double.MIN_NORMAL);
    values.put("negative_largest", -Double.MAX_VALUE);
    values.put("negative_smallest_normal", -Double.MIN_NORMAL);
    values.put("tenth", 0.1);
    values.put("pi", Math.PI);
    values.put("negative_tiny", -1.2345678901234567E-300);
    values.put(SUBNORMAL, Double.MIN_VALUE);
    return values;
  }

  // ---- 1. NULL marker and the empty string

  Answer nulls(int number) {
    Map<String, Value> nullRow = new LinkedHashMap<>();
    Map<String, Value> setRow = new LinkedHashMap<>();
    Map<String, Value> present = Map.of(
        "c_smallint", Value.Numeric.of(12345),
        "c_integer", Value.Numeric.of(1234567890),
        "c_bigint", Value.Numeric.of(1234567890123456789L),
        "c_numeric", Value.Numeric.of("12345678901234.5678"),
        "c_double", new Value.Floating(0.5),
        "c_boolean", new Value.Bool(true),
        "c_timestamptz", new Value.Text("2024-02-29T12:00:00Z"),
        "c_varchar", new Value.Text("text"));
    for (String column : TYPES.keySet()) {
      nullRow.put(column, Value.Null.INSTANCE);
      setRow.put(column, present.get(column));
    }
    nullRow.put("c_empty", new Value.Text(""));
    setRow.put("c_empty", new Value.Text("not empty"));
    List<SourceRecord> records = List.of(Probes.recordOf(NULLS, "null", nullRow), Probes.recordOf(NULLS, "set", setRow));
    RunId run = new RunId("values-nulls");
    Schema schema;
    try {
      schema = target.stageAndLoad(run, records);
    } catch (RuntimeException e) {
      return Answer.fail(number, NULLS_QUESTION, "the load of the two rows was refused: " + Answer.message(e));
    }
    String table = ScratchTarget.table(schema, NULLS.name()).name();
    String key = ScratchTarget.column(schema, NULLS.name(), Probes.KEY);
    Map<String, String> columns = new LinkedHashMap<>();
    TYPES.keySet().forEach(field -> columns.put(ScratchTarget.column(schema, NULLS.name(), field), field));
    String empty = ScratchTarget.column(schema, NULLS.name(), "c_empty");
    List<String> all = new ArrayList<>(columns.keySet());
    all.add(empty);
    String staging = target.target().staging();
    Map<String, Map<String, Boolean>> nulls = probe.nulls(staging, table, key, all);
    Map<String, Map<String, String>> texts = probe.texts(staging, table, key, all);
    Map<String, Long> octets = probe.octets(staging, table, key, empty);
    List<String> problems = new ArrayList<>();
    if (!nulls.containsKey("null") || !nulls.containsKey("set")) {
      return Answer.fail(number, NULLS_QUESTION, "expected the rows 'null' and 'set' in " + staging + "." + table
          + ", found " + nulls.keySet());
    }
    for (Map.Entry<String, String> column : columns.entrySet()) {
      String type = TYPES.get(column.getValue()).toString();
      if (!nulls.get("null").get(column.getKey())) {
        problems.add(type + " column " + column.getKey() + " holds '" + texts.get("null").get(column.getKey())
            + "' where the NULL marker was staged, expected NULL");
      }
      if (nulls.get("set").get(column.getKey())) {
        problems.add(type + " column " + column.getKey() + " is NULL where a value was staged");
      }
    }
    if (nulls.get("null").get(empty)) {
      problems.add("the empty quoted field \"\" loaded as NULL into VARCHAR column " + empty + ", expected an empty string");
    } else if (!"".equals(texts.get("null").get(empty)) || !Long.valueOf(0).equals(octets.get("null"))) {
      problems.add("the empty quoted field \"\" loaded as '" + texts.get("null").get(empty) + "' (" + octets.get("null")
          + " bytes), expected an empty string");
    }
    if (!problems.isEmpty()) {
      return Answer.fail(number, NULLS_QUESTION, String.join("; ", problems));
    }
    return Answer.pass(number, NULLS_QUESTION, "the NULL marker (" + marker(target.dialect()) + ") loaded as NULL into "
        + String.join(", ", TYPES.values().stream().map(ColumnType::toString).toList())
        + "; the empty quoted field \"\" loaded into VARCHAR as an empty string (0 bytes, not NULL)");
  }

  static String marker(Dialect dialect) {
    return dialect.nullMarker().equals("\0") ? "a field holding only NUL, COPY's NULL AS '\\000'"
        : "the unquoted field " + dialect.nullMarker();
  }

  // ---- 2. Timestamps

  Answer timestamps(int number) {
    Map<String, SourceRecord> records = new LinkedHashMap<>();
    for (int i = 0; i < TIMESTAMP_TEXTS.size(); i++) {
      records.put("t" + i, Probes.record(TIMESTAMPS, "t" + i, "at", new Value.Text(TIMESTAMP_TEXTS.get(i))));
    }
    ProbeLoad.Loaded<Instant> loaded = loads.read("timestamps", records, schema -> probe.instants(target.target().staging(),
        ScratchTarget.table(schema, TIMESTAMPS.name()).name(), ScratchTarget.column(schema, TIMESTAMPS.name(), Probes.KEY),
        ScratchTarget.column(schema, TIMESTAMPS.name(), "at")));
    List<String> problems = new ArrayList<>(loaded.refusals(this::timestampText));
    for (int i = 0; i < TIMESTAMP_TEXTS.size(); i++) {
      String text = TIMESTAMP_TEXTS.get(i);
      if (loaded.refused().containsKey("t" + i)) {
        continue;
      }
      Instant expected = OffsetDateTime.parse(text).toInstant();
      Instant read = loaded.values().get("t" + i);
      if (!expected.equals(read)) {
        problems.add("'" + text + "' expected " + expected + ", read back " + (read == null ? "NULL" : read));
      }
    }
    if (!problems.isEmpty()) {
      return Answer.fail(number, TIMESTAMPS_QUESTION, problems.size() + " of " + TIMESTAMP_TEXTS.size()
          + " staged timestamps did not load exactly" + loaded.wholeRefusal() + ": " + String.join("; ", problems));
    }
    return Answer.pass(number, TIMESTAMPS_QUESTION, TIMESTAMP_TEXTS.size() + " staged timestamps ('T', offsets Z, +05:30 "
        + "and -03:00, 0 to 6 fraction digits, years 0001 and 9999) read back in UTC as exactly the instants they name, "
        + "to the microsecond (e.g. '9999-12-31T23:59:59.999999+05:30' as 9999-12-31T18:29:59.999999Z)");
  }

  private String timestampText(String probe) {
    return "'" + TIMESTAMP_TEXTS.get(Integer.parseInt(probe.substring(1))) + "'";
  }

  // ---- 3. Doubles

  Answer doubles(int number) {
    Map<String, SourceRecord> records = new LinkedHashMap<>();
    DOUBLE_VALUES.forEach((name, value) -> records.put(name, Probes.record(DOUBLES, name, "value", new Value.Floating(value))));
    String[] rejection = new String[1];
    ProbeLoad.Loaded<WarehouseProbe.DoubleReading> loaded = loads.read("doubles", records, schema -> {
      Map<String, WarehouseProbe.DoubleReading> readings = probe.doubles(target.target().staging(),
          ScratchTarget.table(schema, DOUBLES.name()).name(), ScratchTarget.column(schema, DOUBLES.name(), Probes.KEY),
          ScratchTarget.column(schema, DOUBLES.name(), "value"), DOUBLE_VALUES);
      if (readings.containsKey(SUBNORMAL)) {
        rejection[0] = subnormalRejection(schema);
      }
      return readings;
    });
    List<String> problems = new ArrayList<>(loaded.refusals(name -> name + " " + DOUBLE_VALUES.get(name)));
    List<String> exact = new ArrayList<>();
    for (Map.Entry<String, Double> value : DOUBLE_VALUES.entrySet()) {
      String name = value.getKey();
      if (loaded.refused().containsKey(name)) {
        continue;
      }
      WarehouseProbe.DoubleReading reading = loaded.values().get(name);
      if (name.equals(SUBNORMAL)) {
        if (reading == null || reading.read() != null) {
          problems.add("the subnormal " + value.getValue() + " was expected to be rejected by the stager (staged as NULL), "
              + "read back " + (reading == null ? "no row" : reading.read()));
        }
        continue;
      }
      if (reading == null || reading.read() == null || !reading.equal()) {
        problems.add(name + " " + value.getValue() + " (staged as '" + Double.toString(value.getValue()) + "') read back "
            + (reading == null ? "no row" : reading.read() == null ? "NULL" : reading.read() + ", not equal in the warehouse"));
      } else {
        exact.add(Double.toString(value.getValue()));
      }
    }
    if (rejection[0] == null && !loaded.refused().containsKey(SUBNORMAL)) {
      problems.add("no rejection of the subnormal " + Double.MIN_VALUE + " was found in _rejected");
    }
    if (!problems.isEmpty()) {
      return Answer.fail(number, DOUBLES_QUESTION, problems.size() + " problem(s)" + loaded.wholeRefusal() + ": "
          + String.join("; ", problems));
    }
    return Answer.pass(number, DOUBLES_QUESTION, exact.size() + " doubles (" + String.join(", ", exact) + ") loaded as "
        + "exactly the doubles staged (compared in the warehouse with the same double bound as a parameter); the "
        + "subnormal " + Double.MIN_VALUE + " is not staged: the stager rejects it to _rejected (\"" + rejection[0] + "\")");
  }

  /** Why the stager rejected the subnormal double, from the run's {@code _rejected} just loaded, or null. */
  private String subnormalRejection(Schema schema) {
    try {
      if (schema.table(TableKey.root(Schema.REJECTED_TABLE)).isEmpty()) {
        return null;
      }
      String table = ScratchTarget.table(schema, Schema.REJECTED_TABLE).name();
      String id = ScratchTarget.table(schema, Schema.REJECTED_TABLE).bookkeeping().get(0).column();
      String reason = ScratchTarget.column(schema, Schema.REJECTED_TABLE, "reason");
      return probe.texts(target.target().staging(), table, id, List.of(reason)).values().stream()
          .map(row -> row.get(reason)).filter(Objects::nonNull).filter(r -> r.toLowerCase(Locale.ROOT).contains("subnormal"))
          .findFirst().orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
