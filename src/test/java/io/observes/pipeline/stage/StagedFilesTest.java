package io.observes.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.PipelineStandIns;
import io.observes.warehouse.Dialect;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The staged files per warehouse dialect, and the warehouse's limits applied while staging. */
class StagedFilesTest extends PipelineStandIns {
  static SourceRecord record(String id, Map<String, Value> fields) {
    Map<String, Value> all = new LinkedHashMap<>();
    all.put("id", new Value.Text(id));
    all.putAll(fields);
    return new SourceRecord("items", List.of(id), new Value.Obj(all));
  }

  static Manifest stage(Dialect dialect, String etl, Stream<SourceRecord> records) {
    return new SegmentStager(s3.store(), new StageLayout("data", etl), new SegmentStager.Settings(4, 1 << 20, work), dialect,
        Clock.systemUTC()).stage(new RunId("r1"), etl, Segment.only(), records, Schema.empty(), n -> {});
  }

  static byte[] staged(Manifest manifest, String stream) throws Exception {
    Manifest.TableManifest table = manifest.tables().stream().filter(t -> t.stream().equals(stream) && t.path().isEmpty())
        .findFirst().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Manifest.PartManifest part : table.parts()) {
      byte[] stored = s3.store().read(S3Uri.parse(part.uri())).orElseThrow();
      try (InputStream in = manifest.compressionOrGzip().decompress(new ByteArrayInputStream(stored))) {
        in.transferTo(out);
      }
    }
    return out.toByteArray();
  }

  @Test
  void partsAreZstdFramesNamedSoAndTheManifestSaysSo() throws Exception {
    Manifest manifest = stage(Dialect.POSTGRESQL, "zst", Stream.of(record("a", Map.of("t", new Value.Text("x")))));
    assertThat(manifest.format()).isEqualTo(Manifest.FORMAT);
    assertThat(manifest.compression()).isEqualTo("ZSTD");
    Manifest.PartManifest part = manifest.tables().get(0).parts().get(0);
    assertThat(part.uri()).endsWith("/part-0.csv.zst");
    byte[] stored = s3.store().read(S3Uri.parse(part.uri())).orElseThrow();
    // zstd's frame magic number 0xFD2FB528, little-endian (RFC 8878, 3.1.1).
    assertThat(java.util.Arrays.copyOf(stored, 4)).containsExactly(0x28, 0xB5, 0x2F, 0xFD);
    assertThat(part.bytes()).isEqualTo(stored.length);
    assertThat(new String(staged(manifest, "items"), StandardCharsets.UTF_8)).contains("\"a\"", "\"x\"");
  }

  @Test
  void eachDialectsNullMarkerIsOneNoValueCanTake() throws Exception {
    List<SourceRecord> records = List.of(
        record("a", Map.of("text", new Value.Text("\\N"), "empty", new Value.Text(""))),
        record("b", Map.of("other", new Value.Text("x"))));
    // Redshift: NULL is a field holding only NUL (NULL AS '\\000'); a text "\\N" is just quoted text.
    byte[] redshift = staged(stage(Dialect.REDSHIFT, "rs", records.stream()), "items");
    String rs = new String(redshift, StandardCharsets.UTF_8);
    assertThat(rs).contains("\"\\N\"", "\"\"").doesNotContain(",\\N");
    assertThat(rs.lines().filter(l -> l.contains("\"b\"")).findFirst().orElseThrow()).contains(",\0,");
    // PostgreSQL: NULL is the unquoted \\N, and a quoted "\\N" stays text (PostgreSQL's documented CSV rule).
    String postgres = new String(staged(stage(Dialect.POSTGRESQL, "pg", records.stream()), "items"), StandardCharsets.UTF_8);
    assertThat(postgres).contains("\"\\N\"").doesNotContain("\0");
    assertThat(postgres.lines().filter(l -> l.contains("\"b\"")).findFirst().orElseThrow()).contains(",\\N,");
    // Text holding a NUL never reaches a file: it is rejected, so no value equals Redshift's marker.
    Manifest withNul = stage(Dialect.REDSHIFT, "nul", Stream.of(record("c", Map.of("t", new Value.Text("\0")))));
    assertThat(withNul.rejected()).isEqualTo(1);
    assertThat(new String(staged(withNul, "items"), StandardCharsets.UTF_8)).doesNotContain(",\"\0\"");
  }

  @Test
  void aTableOfMoreColumnsThanTheWarehouseAllowsKeepsTheRestAsRejectedValues() throws Exception {
    Map<String, Value> wide = new LinkedHashMap<>();
    for (int i = 0; i < 1700; i++) {
      wide.put(String.format("f%04d", i), Value.Numeric.of(i));
    }
    Pipeline pipeline = pipeline("wide");
    Map<String, Long> rows = pipeline.run(new RunId("r1"), Stream.of(record("w", wide)),
        n -> {});
    assertThat(rows).containsEntry("items", 1L).containsEntry("_rejected", 102L);
    assertThat(pg.rows("SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = 'wide' "
        + "AND table_name = 'items'").get(0).get("n")).isEqualTo("1600");
    assertThat(pg.rows("SELECT DISTINCT reason FROM wide._rejected")).singleElement()
        .satisfies(r -> assertThat(r.get("reason")).contains("1600"));
  }

  @Test
  void aRowBeyondFourMegabytesKeepsItsSmallerValuesAndItsLargestGoToRejected() throws Exception {
    Map<String, Value> big = new LinkedHashMap<>();
    for (int i = 0; i < 80; i++) {
      big.put(String.format("v%02d", i), new Value.Text("x".repeat(60_000 + i)));
    }
    Pipeline pipeline = pipeline("bigrow");
    pipeline.run(new RunId("r1"), Stream.of(record("b", big)), n -> {});
    List<Map<String, String>> rejected = pg.rows("SELECT source_path, reason FROM bigrow._rejected ORDER BY source_path");
    assertThat(rejected).hasSize(11).allSatisfy(r -> assertThat(r.get("reason")).contains("4194304"));
    assertThat(rejected.get(0).get("source_path")).isEqualTo("v69");
    Map<String, String> row = pg.rows("SELECT * FROM bigrow.items").get(0);
    assertThat(row.get("v68")).hasSize(60_068);
    assertThat(row.get("v79")).isNull();
  }

  @Test
  void aColumnFirstSeenLateGivesTheEarlierPartsItsNullsAndEveryPartTheSameColumns() throws Exception {
    // Enough rows to be written out before the late column comes (more than the rows held back).
    List<SourceRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      records.add(record("r" + i, Map.of("text", new Value.Text("x".repeat(100) + i))));
    }
    records.add(record("late", Map.of("text", new Value.Text("y"), "late_column", Value.Numeric.of(7))));
    Pipeline pipeline = pipeline("late");
    pipeline.run(new RunId("r1"), records.stream(), n -> {});
    Manifest manifest = new io.observes.pipeline.load.ManifestReader(s3.store(), pipeline.layout())
        .read(new RunId("r1"), 0).orElseThrow().manifest();
    Manifest.TableManifest items = manifest.tables().get(0);
    assertThat(items.parts()).as("parts of 4 KiB").hasSizeGreaterThan(10);
    assertThat(items.columns()).containsExactly("id", "text", "late_column");
    // Every part, the early ones padded, has the same three fields after the row id.
    for (Manifest.PartManifest part : items.parts()) {
      String csv;
      try (InputStream in = manifest.compressionOrGzip().decompress(s3.store().open(S3Uri.parse(part.uri())))) {
        csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(csv.lines()).allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(4));
    }
    assertThat(pg.rows("SELECT COUNT(*) AS n, COUNT(late_column) AS late FROM late.items").get(0))
        .containsEntry("n", "4001").containsEntry("late", "1");
  }

  @Test
  void moreTablesThanStayOpenAtOnceLoseNothing() throws Exception {
    // 60 entity types interleaved: tables beyond the open ones finish parts and reopen new ones.
    List<SourceRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) {
      Map<String, Value> fields = Map.of("id", new Value.Text("i" + i), "n", Value.Numeric.of(i));
      records.add(new SourceRecord("type" + (i % 60), List.of("i" + i), new Value.Obj(fields)));
    }
    Pipeline pipeline = pipeline("many");
    Map<String, Long> rows = pipeline.run(new RunId("r1"), records.stream(), n -> {});
    assertThat(rows).hasSize(60).allSatisfy((table, n) -> assertThat(n).isEqualTo(10L));
    Manifest manifest = new io.observes.pipeline.load.ManifestReader(s3.store(), pipeline.layout())
        .read(new RunId("r1"), 0).orElseThrow().manifest();
    assertThat(manifest.tables()).allSatisfy(t -> assertThat(t.parts().size()).isGreaterThan(1));
    assertThat(pg.rows("SELECT SUM(n) AS s FROM many.type7").get(0).get("s"))
        .isEqualTo(String.valueOf(java.util.stream.IntStream.range(0, 600).filter(i -> i % 60 == 7).sum()));
  }
}
