package io.observes.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.Json;
import io.observes.pipeline.RunId;
import io.observes.pipeline.Segment;
import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.schema.Column;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.schema.TableSchema;
import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.S3StandIn;
import io.observes.warehouse.ColumnType;
import io.observes.warehouse.Dialect;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact bytes the stage step writes for a fixed seeded input: the manifest (statistics, row
 * counts, part sizes) and every part, compressed and decompressed. The digests were taken from the
 * staging code before its speed-up (issue 20): faster staging must stage the same bytes. The input
 * reaches every path of the writer: quotes and newlines, NULLs, unicode, numbers of every kind, values
 * rejected for their content, a declared type or the row size, columns first seen late (padded
 * parts), more tables than stay open, parts split by size, nesting beyond the depth kept.
 */
class StagedBytesTest {
  private static final String[] WORDS = {"buffer", "\"quoted\"", "a,b", "line\nbreak", "tab\there", "café", "脆弱性",
      "🔥", "\\N", "", "O'Reilly", "\"\"", "x\r\ny"};
  private static S3StandIn s3;
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
  void postgresqlPartsAndManifestAreTheBytesStagedBeforeTheSpeedUp() throws Exception {
    assertThat(digest(Dialect.POSTGRESQL, "pg")).isEqualTo(
        "9f183c726f97ba652aaa8d1c036d2359bf7e1dd7f30936e1a6a3a220da716264");
  }

  @Test
  void redshiftPartsAndManifestAreTheBytesStagedBeforeTheSpeedUp() throws Exception {
    assertThat(digest(Dialect.REDSHIFT, "rs")).isEqualTo(
        "55c636fd3b90be4ad22f3090f19cbb76ad82825c55f96c219d8ea7b9b3b4cc71");
  }

  private static String digest(Dialect dialect, String etl) throws Exception {
    Manifest manifest = new SegmentStager(s3.store(), new StageLayout("data", etl),
        new SegmentStager.Settings(4, 48 << 10, work), dialect,
        Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC))
        .stage(new RunId("golden"), etl, Segment.only(), records(), known(), n -> {});
    // The input reaches what it is meant to: rejections, more tables than stay open, split and padded parts.
    assertThat(manifest.rejected()).isGreaterThan(300);
    assertThat(manifest.tables()).hasSizeGreaterThan(SegmentRows.ACTIVE_TABLES);
    Manifest.TableManifest items = manifest.tables().stream().filter(t -> t.path().isEmpty() && t.stream().equals("items"))
        .findFirst().orElseThrow();
    assertThat(items.parts()).hasSizeGreaterThan(3);
    assertThat(items.columns()).contains("gone", "late0", "host.deep.a.b.c");
    // Every row is written with its parent (findings[].lines[] is a child of a child): no orphans, none counted for a root.
    assertThat(manifest.tables()).filteredOn(t -> !t.path().isEmpty()).hasSizeGreaterThan(60)
        .allSatisfy(t -> assertThat(t.orphans()).as(t.path()).isEqualTo(0L));
    assertThat(manifest.tables()).filteredOn(t -> t.path().isEmpty()).allSatisfy(t -> assertThat(t.orphans()).isNull());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    // The digests predate the orphans' count (asserted above): without it the manifest is the bytes pinned then.
    sha.update(Json.write(withoutOrphans(manifest)));
    for (Manifest.TableManifest table : manifest.tables()) {
      for (Manifest.PartManifest part : table.parts()) {
        byte[] stored = s3.store().read(S3Uri.parse(part.uri())).orElseThrow();
        sha.update(stored);
        try (InputStream in = manifest.compressionOrGzip().decompress(new ByteArrayInputStream(stored))) {
          sha.update(in.readAllBytes());
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static Manifest withoutOrphans(Manifest m) {
    return new Manifest(m.format(), m.dialect(), m.compression(), m.etl(), m.target(), m.run(), m.segment(),
        m.totalSegments(), m.knownSchemaFingerprint(), m.finishedAt(), m.records(), m.rejected(), m.tables().stream()
        .map(t -> new Manifest.TableManifest(t.stream(), t.path(), t.columns(), t.rows(), t.rejected(), t.bytes(),
            t.parts(), t.stats())).toList());
  }

  /** Columns a run's base schema knows, some declared (their misfits are rejected), one never seen. */
  private static Schema known() {
    TableKey root = TableKey.root("items");
    return new Schema(List.of(new TableSchema(root, "items", List.of(
        new Column(SourcePath.parse("id"), "id", ColumnType.varchar(64), false),
        new Column(SourcePath.parse("small"), "small", ColumnType.SMALLINT, true),
        new Column(SourcePath.parse("code"), "code", ColumnType.varcharExactly(6), true),
        new Column(SourcePath.parse("gone"), "gone", ColumnType.BOOLEAN, false),
        new Column(SourcePath.parse("n"), "n", ColumnType.numeric(12, 2), false)))));
  }

  private static Stream<SourceRecord> records() {
    List<SourceRecord> records = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      records.add(record(i));
    }
    Map<String, Value> wide = new LinkedHashMap<>();
    wide.put("id", new Value.Text("wide"));
    IntStream.range(0, 1650).forEach(i -> wide.put(String.format("w%04d", i), Value.Numeric.of(i)));
    records.add(new SourceRecord("wide", List.of("wide"), new Value.Obj(wide)));
    Map<String, Value> big = new LinkedHashMap<>();
    big.put("id", new Value.Text("big"));
    IntStream.range(0, 70).forEach(i -> big.put(String.format("v%02d", i), new Value.Text("\"x".repeat(30_000 + i))));
    records.add(new SourceRecord("items", List.of("big"), new Value.Obj(big)));
    return records.stream();
  }

  private static SourceRecord record(int i) {
    Random r = new Random(20240601L ^ (i * 0x9E3779B97F4A7C15L));
    Map<String, Value> f = new LinkedHashMap<>();
    String id = "item-" + i;
    f.put("id", new Value.Text(id));
    f.put("title", new Value.Text(words(r, r.nextInt(12))));
    f.put("small", Value.Numeric.of(r.nextInt(20) == 0 ? 70_000 : r.nextInt(600) - 300));
    f.put("code", new Value.Text(r.nextInt(15) == 0 ? "too long a code" : "C" + r.nextInt(1000)));
    BigDecimal n = BigDecimal.valueOf(r.nextLong() % 10_000_000, r.nextInt(5));
    f.put("n", r.nextInt(8) == 0 ? Value.Null.INSTANCE : new Value.Numeric(n, n.toString()));
    f.put("big", Value.Numeric.parse(r.nextInt(30) == 0 ? "1" + "7".repeat(40) : Long.toString(r.nextLong())));
    f.put("huge", r.nextInt(50) == 0 ? Value.Numeric.parse("1e2147483647") : Value.Numeric.of(r.nextInt()));
    f.put("f", r.nextInt(40) == 0 ? new Value.Floating(Double.NaN) : new Value.Floating(r.nextGaussian() * 1e6));
    f.put("ok", new Value.Bool(r.nextBoolean()));
    f.put("at", new Value.Text(String.format("2024-%02d-%02dT%02d:%02d:%02d.%03d+02:00", 1 + r.nextInt(12),
        1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1000))));
    f.put("bytes", new Value.Binary(new byte[] {(byte) i, (byte) (i >> 8), 0, -1}));
    if (r.nextInt(10) == 0) {
      f.put("bad", new Value.Text(r.nextBoolean() ? "nul\0here" : "lone\uD800"));
    }
    if (i > 1500) {
      f.put("late" + (i % 3), new Value.Text(words(r, 2))); // columns first seen after parts were written
    }
    f.put("empty_list", Value.Array.list(List.of()));
    f.put("empty_obj", new Value.Obj(Map.of()));
    Map<String, Value> host = new LinkedHashMap<>();
    host.put("name", new Value.Text("h" + r.nextInt(50)));
    host.put("deep", new Value.Obj(Map.of("a", new Value.Obj(Map.of("b", new Value.Obj(Map.of("c",
        new Value.Obj(Map.of("d", Value.Numeric.of(i)))))))))); // beyond depth 4: kept as JSON text
    f.put("host", new Value.Obj(host));
    List<Value> tags = new ArrayList<>();
    IntStream.range(0, r.nextInt(4)).forEach(t -> tags.add(new Value.Text(WORDS[r.nextInt(WORDS.length)])));
    f.put("tags", Value.Array.list(tags));
    List<Value> findings = new ArrayList<>();
    for (int k = 0; k < r.nextInt(3); k++) {
      Map<String, Value> finding = new LinkedHashMap<>();
      finding.put("rule", new Value.Text("R" + r.nextInt(30)));
      finding.put("score", new Value.Floating(r.nextDouble()));
      finding.put("lines", Value.Array.list(List.of(Value.Numeric.of(r.nextInt(900)), Value.Null.INSTANCE)));
      findings.add(new Value.Obj(finding));
    }
    f.put("findings", Value.Array.list(findings));
    // One of 60 list paths: more tables than stay open at once.
    f.put("kind" + (i % 60), Value.Array.list(List.of(new Value.Text(id), Value.Numeric.of(i))));
    return new SourceRecord("items", List.of(id), new Value.Obj(f));
  }

  private static String words(Random r, int n) {
    StringBuilder text = new StringBuilder();
    for (int w = 0; w < n; w++) {
      text.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
    }
    return text.toString();
  }
}
