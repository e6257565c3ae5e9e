package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.StageLayout;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.storage.S3Uri;
import io.observes.testing.PipelineStandIns;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files a segment's manifest names are loaded only if they are that segment's own, under
 * {@code s3://<data bucket>/<etl>/<run>/segment=<i>/}: a manifest naming another bucket, another
 * run's files or a path that climbs out with {@code ..} is refused before anything is loaded.
 */
class ManifestPartsTest extends PipelineStandIns {
  static final StageLayout LAYOUT = new StageLayout("data", "parts");

  static SourceRecord record(String id) {
    return new SourceRecord("items", List.of(id), (Value.Obj) JsonValues.parse("{\"id\": \"" + id + "\", \"n\": 1}"));
  }

  /** Stages run {@code run} (one segment) and prepares its staging schema. */
  static Pipeline staged(String run, String id) {
    Pipeline p = pipeline("parts");
    p.stage(new RunId(run), new Segment(0, 1), Stream.of(record(id)), Schema.empty(), n -> { }, true);
    p.prepare(new RunId(run), 1, Schema.empty(), false);
    return p;
  }

  /** Run {@code run}'s manifest with the first file of its table {@code items} replaced by {@code uri}. */
  static void point(String run, String uri) {
    S3Uri manifest = LAYOUT.manifest(new RunId(run), 0);
    JsonNode tree = read(manifest);
    for (JsonNode table : tree.get("tables")) {
      if (table.get("stream").asText().equals("items") && table.get("path").asText().isEmpty()) {
        ((ObjectNode) table.get("parts").get(0)).put("uri", uri);
      }
    }
    s3.store().put(manifest, Json.write(tree));
  }

  static JsonNode read(S3Uri uri) {
    return Json.read(s3.store().read(uri).orElseThrow(), JsonNode.class, uri.toString());
  }

  @Test
  void aManifestNamingAnotherRunsOrBucketsFilesIsRefusedBeforeAnyLoad() throws Exception {
    staged("r-other", "theirs");
    String theirs = read(LAYOUT.manifest(new RunId("r-other"), 0)).get("tables").findValues("uri").get(0).asText();
    s3.createBucket("elsewhere");
    String mine = "s3://data/parts/r-mine/segment=0/";
    for (String hostile : List.of(theirs, theirs.replace("s3://data/", "s3://elsewhere/"),
        mine + "../../r-other/segment=0/" + theirs.substring(theirs.indexOf("segment=0/") + "segment=0/".length()),
        mine + "./x.csv.gz", mine + "a//b.csv.gz", "https://example.com/part-0.csv.gz", "s3://data/parts/r-mine/segment=1/x")) {
      Pipeline p = staged("r-mine", "mine");
      point("r-mine", hostile);

      assertThatThrownBy(() -> p.load(new RunId("r-mine"), 1, Optional.empty())).as(hostile)
          .hasMessageContaining(hostile).hasMessageContaining(mine).hasMessageContaining("segment 0");
      assertThat(pg.rows("SELECT COUNT(*) AS n FROM parts_loading.items").get(0).get("n")).as(hostile).isEqualTo("0");
    }
  }

  @Test
  void aManifestOfAnotherSegmentOrRunIsRefused() throws Exception {
    Pipeline p = staged("r-moved", "moved");
    S3Uri manifest = LAYOUT.manifest(new RunId("r-moved"), 0);
    ObjectNode tree = (ObjectNode) read(manifest);
    tree.put("run", "r-elsewhere");
    s3.store().put(manifest, Json.write(tree));

    assertThatThrownBy(() -> p.load(new RunId("r-moved"), 1, Optional.empty()))
        .hasMessageContaining(manifest.toString()).hasMessageContaining("r-elsewhere");
  }
}
