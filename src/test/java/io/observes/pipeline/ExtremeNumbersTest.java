package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.PipelineStandIns;
import io.observes.warehouse.Dialect;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * JSON numbers no warehouse column holds: exponents at and past the ends of {@code int}
 * ({@code 1e2147483647}, {@code 1e-2147483648}, past what BigDecimal holds at all), and tens of
 * thousands of digits. Staging never fails on one: a number NUMERIC(38, <=37) holds is staged in plain
 * notation, any other as the text the source wrote, and one whose text is longer than warehouse text
 * holds goes to {@code _rejected} with its reason.
 */
class ExtremeNumbersTest extends PipelineStandIns {
  static final String[] EXPONENTS = {"2147483647", "-2147483647", "-2147483648", "2147483648", "999999999", "-999999999",
      "99999999999", "-99999999999", "+37", "-37", "38", "-38", "0"};

  /** A JSON number: seeded digits (1 to 40, or thousands), maybe a fraction, maybe an extreme exponent. */
  static String number(Random r) {
    int digits = switch (r.nextInt(10)) {
      case 0 -> 1_000 + r.nextInt(2_000);
      case 1 -> r.nextBoolean() ? 65_535 + r.nextInt(3) - 1 : 100_000;
      default -> 1 + r.nextInt(40);
    };
    StringBuilder s = new StringBuilder(r.nextBoolean() ? "-" : "");
    s.append(1 + r.nextInt(9));
    for (int i = 1; i < digits; i++) {
      s.append(r.nextInt(4) == 0 ? '0' : (char) ('0' + r.nextInt(10)));
    }
    if (digits > 1 && r.nextBoolean()) {
      s.insert(s.length() - 1 - r.nextInt(digits - 1), '.');
    }
    switch (r.nextInt(4)) {
      case 0 -> { }
      case 1 -> s.append(r.nextBoolean() ? 'e' : 'E').append(r.nextInt(81) - 40);
      default -> s.append(r.nextBoolean() ? 'e' : 'E').append(EXPONENTS[r.nextInt(EXPONENTS.length)]);
    }
    return s.toString();
  }

  /** What staging must do with the number {@code text}, judged with BigDecimal and long arithmetic. */
  static String expected(String text) {
    // BigDecimal's precision is the mantissa's digits after its leading zeros (trailing zeros stay), so
    // more than NUMERIC holds is the text whatever the exponent, known without BigDecimal(String),
    // which takes time quadratic in the digits: 5 of the build's 8 s went there for its 100,000-digit numbers.
    if (mantissaDigits(text) > ColumnType.MAX_PRECISION) {
      return text;
    }
    BigDecimal exact;
    try {
      exact = new BigDecimal(text);
    } catch (NumberFormatException beyondBigDecimal) {
      return text;
    }
    long scale = exact.scale();
    long intDigits = Math.max(exact.precision() - scale, 0);
    if (intDigits + Math.max(scale, 0) <= ColumnType.MAX_PRECISION && scale <= ColumnType.MAX_SCALE) {
      return exact.setScale((int) Math.max(scale, 0)).toPlainString();
    }
    return text;
  }

  /** The digits of the mantissa of the JSON number {@code text} from its first non-zero digit. */
  static int mantissaDigits(String text) {
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        break;
      }
      if (c >= '1' && c <= '9' || c == '0' && digits > 0) {
        digits++;
      }
    }
    return digits;
  }

  @Test
  void theMantissaDigitsAreBigDecimalsPrecision() {
    for (String number : List.of("0", "-0.0", "1", "10", "1.50", "0.000123", "-123.4500e-7", "9".repeat(39) + "E+2",
        "0." + "1".repeat(37), "100e-5")) {
      assertThat(mantissaDigits(number)).as(number).isEqualTo(number.replaceAll("[eE].*", "").matches("-?[0.]+") ? 0
          : new BigDecimal(number).precision());
    }
  }

  static List<Map<String, String>> stagedRows(Manifest manifest, String stream) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Manifest.TableManifest table : manifest.tables()) {
      if (!table.stream().equals(stream) || !table.path().isEmpty()) {
        continue;
      }
      for (Manifest.PartManifest part : table.parts()) {
        byte[] stored = s3.store().read(S3Uri.parse(part.uri())).orElseThrow();
        try (Reader in = new InputStreamReader(manifest.compressionOrGzip().decompress(new ByteArrayInputStream(stored)),
            StandardCharsets.UTF_8)) {
          for (CSVRecord record : CSVFormat.RFC4180.builder().setNullString("\\N").get().parse(in)) {
            Map<String, String> row = new HashMap<>();
            row.put("_observes_id", record.get(0));
            for (int c = 0; c < table.columns().size(); c++) {
              row.put(table.columns().get(c), record.get(c + 1));
            }
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }

  @Test
  void everyNumberIsStagedPlainOrAsItsSourceTextOrRejectedWithItsReason() throws Exception {
    Random random = new Random(16_2026);
    List<String> numbers = new ArrayList<>(List.of("1e2147483647", "1e-2147483648", "-1e999999999", "1E+2", "12.50",
        "9".repeat(38), "9".repeat(39), "0." + "1".repeat(37), "1" + "0".repeat(99_999)));
    while (numbers.size() < 300) {
      numbers.add(number(random));
    }
    List<SourceRecord> records = new ArrayList<>();
    for (int i = 0; i < numbers.size(); i++) {
      records.add(new SourceRecord("items", List.of("n" + i),
          (Value.Obj) JsonValues.parse("{\"id\": \"n" + i + "\", \"n\": " + numbers.get(i) + "}")));
    }

    Manifest manifest = new SegmentStager(s3.store(), new StageLayout("data", "extreme"),
        new SegmentStager.Settings(4, 1 << 20, work), Dialect.POSTGRESQL, Clock.systemUTC())
        .stage(new RunId("r1"), "extreme", Segment.only(), records.stream(), Schema.empty(), n -> { });

    Map<String, String> staged = new HashMap<>();
    Map<String, String> rowIds = new HashMap<>();
    for (Map<String, String> row : stagedRows(manifest, "items")) {
      staged.put(row.get("id"), row.get("n"));
      rowIds.put(row.get("id"), row.get("_observes_id"));
    }
    Map<String, String> reasons = new HashMap<>();
    Map<String, StringBuilder> raw = new HashMap<>();
    for (Map<String, String> row : stagedRows(manifest, Schema.REJECTED_TABLE)) {
      reasons.put(row.get("row_id"), row.get("reason"));
      raw.computeIfAbsent(row.get("row_id") + "/" + row.get("raw_part"), k -> new StringBuilder()).append(row.get("raw_value"));
    }
    int rejected = 0;
    for (int i = 0; i < numbers.size(); i++) {
      String text = numbers.get(i);
      String id = "n" + i;
      String what = text.length() > 60 ? text.substring(0, 30) + "...(" + text.length() + " chars)" : text;
      String expected = expected(text);
      if (expected.length() > ColumnType.MAX_VARCHAR) {
        rejected++;
        assertThat(staged.get(id)).as("%s is staged as NULL", what).isNull();
        String rowId = rowIds.get(id);
        assertThat(reasons.get(rowId)).as("why %s was rejected", what).contains(Integer.toString(text.length()), "65535");
        StringBuilder all = new StringBuilder();
        for (int part = 0; raw.containsKey(rowId + "/" + part); part++) {
          all.append(raw.get(rowId + "/" + part));
        }
        assertThat(all.toString()).as("the rejected value of %s, whole", what).isEqualTo(text);
      } else {
        assertThat(staged.get(id)).as("the staged text of %s", what).isEqualTo(expected);
      }
    }
    assertThat(manifest.rejected()).isEqualTo(rejected);
    assertThat(rejected).as("some numbers were too long for warehouse text").isPositive();
    Manifest.TableManifest items = manifest.tables().stream().filter(t -> t.stream().equals("items")).findFirst().orElseThrow();
    assertThat(items.stats().get("n").type().family()).isEqualTo(ColumnType.Family.VARCHAR);
  }

  @Test
  void aKeyOfAnExtremeNumberIsAKeyOfItsOwn() {
    // Its plain notation would have 2^31 digits (the JDK refuses: NegativeArraySizeException).
    StreamSpec spec = StreamSpec.of("items", WriteMode.MERGE, "id");
    List<String> keys = new ArrayList<>();
    for (String id : List.of("1e2147483647", "1e-2147483648", "-1e999999999", "1E+2", "100.00", "1" + "0".repeat(5_000))) {
      keys.add(spec.record((Value.Obj) JsonValues.parse("{\"id\": " + id + "}")).key().get(0));
    }
    assertThat(keys.subList(0, 3)).containsExactly("1E+2147483647", "1e-2147483648", "-1E+999999999");
    // The same number written two ways is one key, as before.
    assertThat(keys.get(3)).isEqualTo("100").isEqualTo(keys.get(4));
    assertThat(keys.get(5)).hasSize(5_001);
  }

  @Test
  void extremeNumbersLoadIntoPostgresAsTheExactTextTheSourceWrote() throws Exception {
    String hundredThousandDigits = "7".repeat(100_000);
    String json = "{\"id\": \"a\", \"n\": 1e2147483647, \"tiny\": 1e-2147483648, \"neg\": -1e999999999, "
        + "\"hundred\": 1E+2, \"money\": 12.50, \"long\": " + hundredThousandDigits + "}";
    SourceRecord record = new SourceRecord("items", List.of("a"), (Value.Obj) JsonValues.parse(json));

    Map<String, Long> published = pipeline("extreme").run(new RunId("e2e"), Stream.of(record), n -> { });

    assertThat(published).containsEntry("items", 1L).containsEntry("_rejected", 2L);
    Map<String, String> row = pg.rows("SELECT * FROM extreme.items").get(0);
    assertThat(row).containsEntry("n", "1e2147483647").containsEntry("tiny", "1e-2147483648")
        .containsEntry("neg", "-1e999999999").containsEntry("hundred", "100").containsEntry("money", "12.50")
        .containsEntry("long", null);
    assertThat(pg.rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'extreme' "
        + "AND table_name = 'items' AND column_name IN ('n', 'tiny', 'neg')"))
        .extracting(r -> r.get("data_type")).containsOnly("character varying");
    List<Map<String, String>> rejected = pg.rows("SELECT source_path, reason, raw_part, raw_value FROM extreme._rejected "
        + "ORDER BY raw_part");
    assertThat(rejected).extracting(r -> r.get("source_path")).containsOnly("long");
    assertThat(rejected.get(0).get("reason")).contains("100000", "65535");
    assertThat(rejected.get(0).get("raw_value") + rejected.get(1).get("raw_value")).isEqualTo(hundredThousandDigits);
  }
}
