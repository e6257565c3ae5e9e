package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.load.PublishedProfiles;
import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.stage.Manifest;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import io.observes.testing.ProfileAgreement;
import io.observes.warehouse.ColumnType;
import io.observes.warehouse.ProfileRequest;
import io.observes.warehouse.StagedCounts;
import io.observes.warehouse.TableProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A table a swap published is profiled from its staged counts (rows and NULLs) with only its keys and
 * orphans read: that profile is the scan's, table by table and column by column, on seeded random
 * corpora (NULLs, columns absent from some segments, several segments, values rejected in root and
 * child tables, lists of objects and of scalars); and the reads it keeps still catch a table broken
 * after the swap. Runs in both dialects.
 */
class StagedProfileTest extends PipelineStandIns {
  static final StreamSpec ITEMS = StreamSpec.of("items", WriteMode.REPLACE, "id").typed("small", ColumnType.SMALLINT);

  record Published(Schema schema, List<Manifest> manifests, List<TableProfile> profiles) {}

  static Pipeline pipeline(String target, StreamSpec... streams) {
    return new Pipeline(new Target(target, target), new Streams(List.of(streams)), s3.store(), warehouse, settings());
  }

  /** Stages each list as a segment, loads and publishes them; the publish's profiles as it took them. */
  static Published publish(Pipeline p, RunId run, List<List<SourceRecord>> segments) {
    List<Manifest> manifests = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      manifests.add(p.stage(run, new Segment(s, segments.size()), segments.get(s).stream(), Schema.empty(), n -> {}, false)
          .value().orElseThrow());
    }
    Schema schema = p.prepare(run, segments.size(), Schema.empty(), false).value();
    p.load(run, segments.size(), Optional.empty());
    List<TableProfile> profiles = p.publishTables(run, segments.size(), LeaseGuard.NONE, null).value().profiles().tables();
    return new Published(schema, manifests, profiles);
  }

  /** A record of segment {@code segment}: every field may be missing, NULL, or a value that is rejected. */
  static SourceRecord randomRecord(Random random, int segment, int i) {
    StringBuilder json = new StringBuilder("{\"id\": \"r-" + segment + "-" + i + "\"");
    String[] titles = {"null", "\"\"", "\"\\\\N\"", "\"quote \\\" , comma\"", "\"t" + i + "\""};
    if (random.nextInt(6) > 0) {
      json.append(", \"title\": ").append(titles[random.nextInt(titles.length)]);
    }
    // SMALLINT is declared: a value beyond it goes to _rejected and reads NULL.
    json.append(", \"small\": ").append(random.nextInt(5) == 0 ? "null" : random.nextInt(10) == 0 ? "70000" : random.nextInt(300));
    if (random.nextInt(8) == 0) {
      json.append(", \"bad\": \"nul \\u0000 inside\"");
    } else if (random.nextBoolean()) {
      json.append(", \"bad\": \"fine\"");
    }
    if (random.nextBoolean()) {
      json.append(", \"meta\": {\"a\": ").append(random.nextBoolean() ? "null" : "true").append(", \"b\": ")
          .append(random.nextDouble() * 100).append('}');
    }
    // A field only this segment has: NULL in every other segment's rows.
    json.append(", \"seg").append(segment).append("\": ").append(random.nextBoolean() ? "null" : "\"s" + i + "\"");
    json.append(", \"always_null\": null, \"parts\": [");
    for (int k = random.nextInt(4); k > 0; k--) {
      // Text holding NUL goes to _rejected from a child table too.
      json.append("{\"size\": ").append(random.nextInt(100)).append(", \"name\": ").append(random.nextInt(3) == 0 ? "null"
          : random.nextInt(6) == 0 ? "\"p\\u0000\"" : "\"p" + k + "\"");
      // A list in a list element: a child of a child, with NULLs and a value rejected from it.
      if (random.nextBoolean()) {
        json.append(", \"notes\": [\"n").append(k).append("\", null").append(random.nextInt(5) == 0 ? ", \"x\\u0000\"" : "")
            .append(']');
      }
      json.append(k > 1 ? "}, " : "}");
    }
    json.append("], \"tags\": [");
    for (int k = random.nextInt(3); k > 0; k--) {
      json.append(random.nextInt(4) == 0 ? "null" : "\"g" + random.nextInt(5) + "\"").append(k > 1 ? ", " : "");
    }
    return ITEMS.record((Value.Obj) JsonValues.parse(json.append("]}").toString()));
  }

  @Test
  void theProfileFromStagedCountsIsTheScanOnSeededRandomCorpora() throws Exception {
    for (long seed : new long[] {7, 19}) {
      Random random = new Random(seed);
      String target = "corpus" + seed;
      List<List<SourceRecord>> segments = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        int segment = s;
        segments.add(IntStream.range(0, 60 + random.nextInt(60)).mapToObj(i -> randomRecord(random, segment, i)).toList());
      }
      Published published = publish(pipeline(target, ITEMS), new RunId("r" + seed), segments);

      assertThat(published.profiles()).extracting(TableProfile::table)
          .containsExactlyInAnyOrder("items", "items__parts", "items__parts__notes", "items__tags", "_rejected");
      assertThat(published.profiles()).filteredOn(p -> !p.table().equals("_rejected"))
          .allSatisfy(p -> assertThat(p.countsFrom()).as(p.table()).isEqualTo(TableProfile.CountsFrom.STAGED));
      assertThat(ProfileAgreement.assertSameAsScan(warehouse, target, published.profiles())).hasSize(5);
      // The child tables' orphans were the stage step's (none), not a join's; the scan's join agrees above.
      assertThat(PublishedProfiles.staged(new RunId("r" + seed), published.schema(), published.manifests()))
          .hasEntrySatisfying("items__parts", c -> assertThat(c.orphans()).isZero())
          .hasEntrySatisfying("items__parts__notes", c -> assertThat(c.orphans()).isZero())
          .hasEntrySatisfying("items__tags", c -> assertThat(c.orphans()).isZero())
          .hasEntrySatisfying("items", c -> assertThat(c.orphans()).isNull());
      assertThat(profile(published, "items__parts__notes").column("value").orElseThrow().nulls()).isGreaterThan(0);
      // The corpus has what the counts must get right: rejections in a root and a child table, columns absent from
      // segments, lists of scalars with NULLs.
      TableProfile items = profile(published, "items");
      assertThat(items.column("small").orElseThrow().nulls()).isGreaterThan(0);
      assertThat(items.column("seg1").orElseThrow().nulls()).isGreaterThan(segments.get(0).size() + segments.get(2).size() - 1);
      assertThat(items.column("always_null").orElseThrow().nulls()).isEqualTo(items.rows());
      assertThat(items.column("bad").orElseThrow().nulls()).isGreaterThan(0);
      assertThat(pg.rows("SELECT table_name, COUNT(*) AS n FROM " + target + "._rejected GROUP BY table_name"))
          .extracting(r -> r.get("table_name")).containsExactlyInAnyOrder("items", "items__parts", "items__parts__notes");
      assertThat(warehouse.profile(target, List.of(ProfileRequest.plain("_rejected"))).get(0).rows())
          .isEqualTo(profile(published, "_rejected").rows());
      assertThat(profile(published, "items__tags").column("value").orElseThrow().nulls()).isGreaterThan(0);
      assertThat(profile(published, "_rejected").rows()).isGreaterThan(10);
    }
  }

  @Test
  void aMergedTableIsScanned() {
    StreamSpec merged = StreamSpec.of("merged", WriteMode.MERGE, "id");
    Published published = publish(pipeline("merging_profiled", merged), new RunId("m1"), List.of(List.of(
        merged.record((Value.Obj) JsonValues.parse("{\"id\": \"a\", \"x\": null, \"tags\": [\"u\"]}")))));

    assertThat(published.profiles()).isNotEmpty()
        .allSatisfy(p -> assertThat(p.countsFrom()).isEqualTo(TableProfile.CountsFrom.SCANNED));
  }

  @Test
  void aRepeatedKeyAndAnOrphanAreStillFoundAfterTheSwap() throws Exception {
    RunId run = new RunId("b1");
    List<ProfileRequest> requests = stagedRequests(run, tenPublished("broken_after", run));
    // Same rows, same NULLs: v-1 takes v-2's id, so the key repeats and v-1's two findings lose their parent.
    pg.execute("UPDATE broken_after.vulns SET _observes_id = (SELECT _observes_id FROM broken_after.vulns WHERE id = 'v-2') "
        + "WHERE id = 'v-1'");

    List<TableProfile> profiles = warehouse.profile("broken_after", requests);

    assertThat(profiles).extracting(TableProfile::table).containsExactly("vulns", "vulns__findings");
    assertThat(profiles).allSatisfy(t -> assertThat(t.countsFrom()).isEqualTo(TableProfile.CountsFrom.STAGED));
    assertThat(profiles.get(0).rows()).isEqualTo(10);
    assertThat(profiles.get(0).keyDistinct()).isEqualTo(9);
    assertThat(profiles.get(1).rows()).isEqualTo(20);
    assertThat(profiles.get(1).orphans()).isEqualTo(2);
    ProfileAgreement.assertSameAsScan(warehouse, "broken_after", profiles);
  }

  @Test
  void aTableWrittenSinceTheSwapOrAnotherRunsSchemaIsScanned() throws Exception {
    RunId run = new RunId("w1");
    List<ProfileRequest> requests = stagedRequests(run, tenPublished("written_after", run));
    pg.execute("INSERT INTO written_after.vulns (_observes_id, id) VALUES ('0123456789abcdef0123456789abcdef', 'v-new')");

    List<TableProfile> profiles = warehouse.profile("written_after", requests);

    assertThat(profiles.get(0).countsFrom()).isEqualTo(TableProfile.CountsFrom.SCANNED);
    assertThat(profiles.get(0).rows()).isEqualTo(11);
    assertThat(profiles.get(0).column("title").orElseThrow().nulls()).isEqualTo(3 + 1);
    assertThat(profiles.get(1).countsFrom()).isEqualTo(TableProfile.CountsFrom.STAGED);
    ProfileAgreement.assertSameAsScan(warehouse, "written_after", profiles);

    // Counts of another run than the one whose data the schema holds are never used.
    List<ProfileRequest> others = requests.stream().map(r -> r.withStaged(new StagedCounts("another-run", r.staged().rows(),
        r.staged().values()))).toList();
    assertThat(warehouse.profile("written_after", others))
        .allSatisfy(t -> assertThat(t.countsFrom()).isEqualTo(TableProfile.CountsFrom.SCANNED));
  }

  @Test
  void aChildsStagedOrphansStandInForTheJoinAndAnOldManifestsAreJoined() throws Exception {
    RunId run = new RunId("o1");
    Published published = tenPublished("orphans_staged", run);
    List<ProfileRequest> requests = stagedRequests(run, published);
    assertThat(requests.get(1).staged().orphans()).isZero();
    // Same rows, same NULLs: two findings name a parent that is not there, which no swap stages. Only a join sees it.
    pg.execute("UPDATE orphans_staged.vulns__findings SET _parent_id = 'gone' WHERE _index = 0 AND _parent_id IN "
        + "(SELECT _observes_id FROM orphans_staged.vulns WHERE id IN ('v-1', 'v-2'))");

    List<TableProfile> staged = warehouse.profile("orphans_staged", requests);
    assertThat(staged).allSatisfy(t -> assertThat(t.countsFrom()).isEqualTo(TableProfile.CountsFrom.STAGED));
    assertThat(staged.get(1).orphans()).as("the stage step's count, no join").isZero();

    // Manifests written before the count have no orphans: they load, and the child's orphans are joined.
    List<Manifest> old = new ArrayList<>();
    for (Manifest m : published.manifests()) {
      byte[] json = Json.write(withoutOrphans(m));
      assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\"orphans\"");
      old.add(Json.read(json, Manifest.class, "a manifest written before the orphans' count"));
    }
    List<ProfileRequest> oldRequests = stagedRequests(run, new Published(published.schema(), old, published.profiles()));
    assertThat(oldRequests).allSatisfy(r -> assertThat(r.staged().orphans()).isNull());
    List<TableProfile> joined = warehouse.profile("orphans_staged", oldRequests);
    assertThat(joined).allSatisfy(t -> assertThat(t.countsFrom()).isEqualTo(TableProfile.CountsFrom.STAGED));
    assertThat(joined.get(1).orphans()).isEqualTo(2);
    ProfileAgreement.assertSameAsScan(warehouse, "orphans_staged", joined);
  }

  static Manifest withoutOrphans(Manifest m) {
    return new Manifest(m.format(), m.dialect(), m.compression(), m.etl(), m.target(), m.run(), m.segment(),
        m.totalSegments(), m.knownSchemaFingerprint(), m.finishedAt(), m.records(), m.rejected(), m.tables().stream()
        .map(t -> new Manifest.TableManifest(t.stream(), t.path(), t.columns(), t.rows(), t.rejected(), t.bytes(),
            t.parts(), t.stats())).toList());
  }

  /** Ten records published into {@code schema} by {@code run}, in one segment. */
  static Published tenPublished(String schema, RunId run) {
    return publish(pipeline(schema), run, List.of(IntStream.range(0, 10).mapToObj(TableProfileTest::record).toList()));
  }

  static List<ProfileRequest> stagedRequests(RunId run, Published published) {
    Map<String, StagedCounts> staged = PublishedProfiles.staged(run, published.schema(), published.manifests());
    return PublishedProfiles.requests(published.schema(), staged).stream().filter(r -> r.table().startsWith("vulns")).toList();
  }

  static TableProfile profile(Published published, String table) {
    return published.profiles().stream().filter(p -> p.table().equals(table)).findFirst().orElseThrow();
  }
}
