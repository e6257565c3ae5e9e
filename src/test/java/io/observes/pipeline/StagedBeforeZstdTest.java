package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.pipeline.load.TableLoader;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.pipeline.stage.StageLayout;
import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.PipelineStandIns;
import io.observes.testing.TestDialect;
import io.observes.warehouse.Compression;
import io.observes.warehouse.PostgresClient;
import io.observes.warehouse.RedshiftClient;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.rehearsal.StatementCapture;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs staged before zstd staging (gzip parts, manifest format 3 naming no compression) load with
 * this version, alone and beside segments staged as zstd: one COPY per compression, GZIP or ZSTD on
 * Redshift. The build runs it under both dialects; under Redshift's the COPY texts are checked too.
 */
class StagedBeforeZstdTest extends PipelineStandIns {
  static final List<String> COPIES = Collections.synchronizedList(new ArrayList<>());
  static WarehouseClient client;

  @BeforeAll
  static void start() {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername("postgres");
    com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
    StatementCapture system = StatementCapture.fromSystem();
    StatementCapture copies = sql -> {
      if (sql.startsWith("COPY ")) {
        COPIES.add(sql);
      }
      system.statement(sql);
    };
    client = TestDialect.redshift() ? RedshiftClient.rehearsal(pool, pool, null, List.of(), copies)
        : new PostgresClient(pool, pool, List.of());
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  static Pipeline pipeline(String name, Compression compression) {
    int level = compression == Compression.GZIP ? 1 : SegmentStager.ZSTD_LEVEL;
    PipelineSettings settings = PipelineSettings.local("data", new SchemaCache(s3.store(), "cache"),
        new SegmentStager.Settings(4, 4096, work, compression, level), Clock.systemUTC());
    return new Pipeline(new Target(name, name), Streams.undeclared(), s3.store(), client, settings);
  }

  static Stream<SourceRecord> records(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> {
      Map<String, Value> fields = new LinkedHashMap<>();
      fields.put("id", new Value.Text("v" + i));
      fields.put("title", new Value.Text("finding \"" + i + "\" " + "x".repeat(i % 50)));
      fields.put("score", Value.Numeric.of(i));
      fields.put("tags", new Value.Array(List.of(new Value.Text("t" + i), new Value.Text("u" + i)), false));
      return new SourceRecord("findings", List.of("v" + i), new Value.Obj(fields));
    });
  }

  /**
   * Makes a segment's manifest what the version before zstd staging wrote: format 3, no compression
   * named (its parts are gzip already: staged with gzip).
   */
  static void asWrittenBeforeZstd(StageLayout layout, RunId run, int segment) {
    S3Uri uri = layout.manifest(run, segment);
    ObjectNode manifest = (ObjectNode) Json.mapper().valueToTree(
        Json.read(s3.store().read(uri).orElseThrow(), Manifest.class, uri.toString()));
    assertThat(manifest.remove("compression").asText()).isEqualTo("GZIP");
    manifest.put("format", 3);
    s3.store().put(uri, Json.write(manifest));
  }

  @Test
  void aRunStagedAsGzipBeforeZstdLoadsAndPublishesAfterIt() throws Exception {
    Pipeline before = pipeline("oldgzip", Compression.GZIP);
    RunId run = new RunId("r-gzip");
    before.stage(run, new Segment(0, 1), records(0, 300), before.baseSchema(), n -> {}, false);
    asWrittenBeforeZstd(before.layout(), run, 0);
    String part = s3.store().list(before.layout().segment(run, 0)).stream().map(S3Uri::toString)
        .filter(u -> u.contains("/part-")).findFirst().orElseThrow();
    assertThat(part).endsWith(".csv.gz");

    COPIES.clear();
    Pipeline after = pipeline("oldgzip", Compression.ZSTD);
    after.prepare(run, 1, after.baseSchema(), false);
    List<TableLoader.TableResult> loaded = after.load(run, 1, Optional.empty()).value();
    Map<String, Long> published = after.publish(run, 1).value();

    assertThat(loaded).allSatisfy(t -> assertThat(t.copies()).isEqualTo(1));
    assertThat(published).containsEntry("findings", 300L).containsEntry("findings__tags", 600L);
    assertThat(pg.rows("SELECT title, score FROM oldgzip.findings WHERE id = 'v42'")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("title", "finding \"42\" " + "x".repeat(42)).containsEntry("score", "42"));
    if (TestDialect.redshift()) {
      assertThat(COPIES).isNotEmpty().allSatisfy(sql -> assertThat(sql).contains(" CSV GZIP ").doesNotContain("ZSTD"));
    }
  }

  @Test
  void aRunHalfStagedBeforeZstdAndHalfAfterLoadsEachTableWithOneCopyPerCompression() throws Exception {
    RunId run = new RunId("r-mixed");
    Pipeline before = pipeline("mixed", Compression.GZIP);
    before.stage(run, new Segment(0, 2), records(0, 200), before.baseSchema(), n -> {}, false);
    asWrittenBeforeZstd(before.layout(), run, 0);
    Pipeline after = pipeline("mixed", Compression.ZSTD);
    after.stage(run, new Segment(1, 2), records(200, 500), after.baseSchema(), n -> {}, false);

    COPIES.clear();
    after.prepare(run, 2, after.baseSchema(), false);
    List<TableLoader.TableResult> loaded = after.load(run, 2, Optional.empty()).value();
    Map<String, Long> published = after.publish(run, 2).value();

    assertThat(loaded).filteredOn(t -> t.table().startsWith("findings")).hasSize(2)
        .allSatisfy(t -> assertThat(t.copies()).isEqualTo(2));
    assertThat(published).containsEntry("findings", 500L).containsEntry("findings__tags", 1000L);
    assertThat(pg.rows("SELECT COUNT(DISTINCT id) AS n, SUM(score) AS total FROM mixed.findings").get(0))
        .containsEntry("n", "500").containsEntry("total", String.valueOf(499 * 500 / 2));
    if (TestDialect.redshift()) {
      List<String> findings = COPIES.stream().filter(sql -> sql.contains("\"findings\" (")).toList();
      assertThat(findings).hasSize(2);
      assertThat(findings).anySatisfy(sql -> assertThat(sql).contains(" CSV GZIP "))
          .anySatisfy(sql -> assertThat(sql).contains(" CSV ZSTD "));
    }
  }
}
