package io.observes.etl.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * Bill files read back by a CSV parser: seeded random fields built from the characters that matter
 * (formula starters, quotes, separators, line breaks): no field starts a formula, and dropping one
 * leading quote gives every value back exactly.
 */
class BillCsvTest {
  static final String ALPHABET = "=+-@\t\r\n'\",; aZ9|!(é";

  static String field(Random r) {
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) {
      s.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  @Test
  void noFieldStartsAFormulaAndEveryValueComesBack() throws Exception {
    Random random = new Random(5_2026);
    for (int round = 0; round < 2_000; round++) {
      List<Bill.Line> lines = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        lines.add(new Bill.Line(field(random), field(random), field(random), field(random)));
      }
      String csv = new Bill("g", lines).csv();

      List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
      assertThat(records).hasSize(lines.size() + 1);
      for (int i = 0; i < lines.size(); i++) {
        Bill.Line line = lines.get(i);
        List<String> written = List.of(line.actor(), line.commit(), line.groups(), line.repository());
        for (int f = 0; f < 4; f++) {
          String read = records.get(i + 1).get(f);
          assertThat(read).as("round %d", round).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
              .doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
          assertThat(read.startsWith("'") ? read.substring(1) : read).as("round %d", round).isEqualTo(written.get(f));
        }
      }
    }
  }
}
