package io.observes.etl.timedoctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.S3StandIn;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month backed up is the month read back, value for value: text the warehouse would refuse (a lone
 * surrogate the API escaped as {@code \ud800}) is refused from the backup too, never loaded altered;
 * a backup file whose bytes are not UTF-8 is an error naming it.
 */
class TimeDoctorBackupsTest {
  static S3StandIn s3;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3StandIn();
    s3.createBucket("data");
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void everyValueIsReadBackAsItWasWritten() {
    TimeDoctorBackups backups = new TimeDoctorBackups(s3.store(), "data", "exact", work);
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("lone", new Value.Text("a\uD800b"));
    fields.put("pair", new Value.Text("😀 naïve 日本"));
    fields.put("nul", new Value.Text("x\u0000y"));
    fields.put("separators", new Value.Text("line\u2028para\u2029"));
    fields.put("number", Value.Numeric.parse("1e-2147483648"));
    fields.put("money", Value.Numeric.parse("85.30"));
    Value.Obj row = new Value.Obj(fields);
    YearMonth month = YearMonth.of(2026, 10);

    backups.write(month, "r1", Map.of("worklogs", Stream.of(row)), Instant.parse("2026-11-01T00:00:00Z"), false, () -> { });

    try (Stream<Value.Obj> read = backups.read(month, "worklogs")) {
      assertThat(read.toList()).containsExactly(row);
    }
  }

  @Test
  void aBackupFileThatIsNotUtf8IsAnErrorNamingIt() throws Exception {
    TimeDoctorBackups backups = new TimeDoctorBackups(s3.store(), "data", "corrupt", work);
    YearMonth month = YearMonth.of(2026, 9);
    backups.write(month, "r1", Map.of("worklogs", Stream.of(new Value.Obj(Map.of("name", new Value.Text("ok"))))),
        Instant.parse("2026-10-01T00:00:00Z"), false, () -> { });
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(new byte[] {'{', '"', 'n', '"', ':', '"', 'c', 'a', 'f', (byte) 0xE9, '"', '}', '\n'});
    }
    S3Uri file = new S3Uri("data", "corrupt/2026-09/r1/worklogs.jsonl.gz");
    s3.store().put(file, gz.toByteArray());

    assertThatThrownBy(() -> {
      try (Stream<Value.Obj> read = backups.read(month, "worklogs")) {
        List<Value.Obj> rows = read.toList();
        throw new AssertionError("read " + rows);
      }
    }).hasMessageContaining(file.toString()).hasMessageContaining("UTF-8");
  }
}
