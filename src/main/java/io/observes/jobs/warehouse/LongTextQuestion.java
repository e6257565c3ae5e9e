package io.observes.jobs.warehouse;

import io.observes.pipeline.RunId;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.Value;
import io.observes.warehouse.ColumnType;
import io.observes.warehouse.WarehouseProbe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Question 4: the longest VARCHAR Observes creates holds a value of exactly that many UTF-8 bytes,
 * staged by the product's stager, loaded by its load and read back whole from the staging schema.
 */
final class LongTextQuestion {
  static final String TEXT_QUESTION = "VARCHAR(65535) holds 65,535 bytes";
  static final StreamSpec LONG_TEXT = Probes.stream("long_text").typed("value", ColumnType.varcharExactly(ColumnType.MAX_VARCHAR));

  private final ScratchTarget target;
  private final WarehouseProbe probe;

  LongTextQuestion(ScratchTarget target, WarehouseProbe probe) {
    this.target = Objects.requireNonNull(target, "target");
    this.probe = Objects.requireNonNull(probe, "probe");
  }

  Answer ask(int number) {
    String value = textOfBytes(ColumnType.MAX_VARCHAR);
    RunId run = new RunId("values-long-text");
    Schema schema;
    try {
      schema = target.stageAndLoad(run, List.of(Probes.record(LONG_TEXT, "longest", "value", new Value.Text(value))));
    } catch (RuntimeException e) {
      return Answer.fail(number, TEXT_QUESTION, "the load of one value of " + ColumnType.MAX_VARCHAR + " bytes was refused: "
          + Answer.message(e));
    }
    String table = ScratchTarget.table(schema, LONG_TEXT.name()).name();
    String key = ScratchTarget.column(schema, LONG_TEXT.name(), Probes.KEY);
    String column = ScratchTarget.column(schema, LONG_TEXT.name(), "value");
    String staging = target.target().staging();
    String read = probe.texts(staging, table, key, List.of(column)).getOrDefault("longest", Map.of()).get(column);
    Long bytes = probe.octets(staging, table, key, column).get("longest");
    int characters = value.codePointCount(0, value.length());
    if (read == null || !read.equals(value) || bytes == null || bytes != ColumnType.MAX_VARCHAR) {
      return Answer.fail(number, TEXT_QUESTION, "staged " + ColumnType.MAX_VARCHAR + " bytes (" + characters
          + " characters of 1 to 4 bytes) into VARCHAR(" + ColumnType.MAX_VARCHAR + "), read back " + (read == null ? "NULL"
          : read.codePointCount(0, read.length()) + " characters, " + bytes + " bytes, "
          + (read.equals(value) ? "the same text" : "different text (first difference at character " + firstDifference(value, read) + ")")));
    }
    return Answer.pass(number, TEXT_QUESTION, "a value of exactly " + String.format(Locale.ROOT, "%,d", ColumnType.MAX_VARCHAR)
        + " UTF-8 bytes (" + String.format(Locale.ROOT, "%,d", characters) + " characters of 1, 2, 3 and 4 bytes, the last a "
        + "4-byte one) loaded whole into VARCHAR(" + ColumnType.MAX_VARCHAR + "): OCTET_LENGTH " + bytes
        + ", the same text read back");
  }

  /** Text of exactly {@code bytes} UTF-8 bytes: 1- to 4-byte characters, ending with a 4-byte one. */
  static String textOfBytes(int bytes) {
    String unit = "a\u00e9\u20ac\uD83D\uDE00";
    int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder text = new StringBuilder();
    int used = 0;
    while (used + unitBytes <= bytes - 4) {
      text.append(unit);
      used += unitBytes;
    }
    while (used < bytes - 4) {
      text.append('x');
      used++;
    }
    text.append("\uD83D\uDE80");
    return text.toString();
  }

  private static int firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return a.codePointCount(0, i);
  }
}
