package io.observes.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.warehouse.ColumnType;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import io.observes.testing.PipelineStandIns;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Versioned changes applied in place (a source of changes, such as DynamoDB's incremental exports):
 * a change replaces its row, child rows and rejected values only when it is newer than what the
 * target holds; a deletion takes them away and is remembered, so an older image applied after it
 * (a re-applied or overlapping window) does not bring the row back. Also under the Redshift rehearsal.
 */
class VersionedMergeTest extends PipelineStandIns {
  static final StreamSpec ITEMS = StreamSpec.of("items", WriteMode.MERGE, "id").typed("n", ColumnType.BIGINT);

  static Pipeline versioned(String name) {
    return new Pipeline(new Target(name, name), new Streams(List.of(ITEMS)).versioned("written", "deleted"), s3.store(), warehouse,
        settings());
  }

  static SourceRecord change(String json) {
    return ITEMS.record((Value.Obj) JsonValues.parse(json));
  }

  static void run(Pipeline p, SourceRecord... records) {
    p.run(RunId.unique(java.time.Instant.now()), Stream.of(records), n -> { });
  }

  List<String> rows(String sql) throws Exception {
    return pg.rows(sql).stream().map(r -> String.join("|", r.values().stream().map(String::valueOf).toList())).toList();
  }

  @Test
  void onlyNewerChangesApplyAndDeletionsStayDeleted() throws Exception {
    Pipeline p = versioned("versioned");
    run(p, change("{\"id\": \"a\", \"written\": 10, \"n\": 1, \"tags\": [\"x\", \"y\"]}"),
        change("{\"id\": \"b\", \"written\": 10, \"n\": \"not a number\", \"tags\": [\"q\"]}"),
        change("{\"id\": \"c\", \"written\": 10, \"n\": 3}"));
    assertThat(rows("SELECT table_name, source_path FROM versioned._rejected")).containsExactly("items|n");

    // An older image of a (with a rejected value of its own), b deleted, c changed.
    run(p, change("{\"id\": \"a\", \"written\": 5, \"n\": \"old and bad\", \"tags\": [\"old\"]}"),
        change("{\"id\": \"b\", \"written\": 20, \"deleted\": true}"),
        change("{\"id\": \"c\", \"written\": 20, \"n\": 30, \"tags\": [\"z\"]}"));
    // Re-applied and overlapping: b's image older than its deletion, a and c as they are, d deleted unseen.
    run(p, change("{\"id\": \"b\", \"written\": 15, \"n\": 2}"), change("{\"id\": \"a\", \"written\": 10, \"n\": 1, "
        + "\"tags\": [\"x\", \"y\"]}"), change("{\"id\": \"c\", \"written\": 20, \"n\": 30, \"tags\": [\"z\"]}"),
        change("{\"id\": \"d\", \"written\": 7, \"deleted\": true}"));

    assertThat(rows("SELECT id, n, written FROM versioned.items ORDER BY id")).containsExactly("a|1|10", "c|30|20");
    assertThat(rows("SELECT i.id, t.value FROM versioned.items i JOIN versioned.items__tags t ON t._root_id = "
        + "i._observes_id ORDER BY 1, 2")).containsExactly("a|x", "a|y", "c|z");
    assertThat(rows("SELECT COUNT(*) FROM versioned.items__tags")).containsExactly("3");
    assertThat(rows("SELECT COUNT(*) FROM versioned._rejected")).as("b's rejected value went with b").containsExactly("0");
    assertThat(rows("SELECT table_name, version FROM versioned._observes_deleted ORDER BY version"))
        .containsExactly("items|7", "items|20");
    assertThat(rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'versioned' AND table_name = "
        + "'items' AND column_name = 'deleted'")).as("the marker stays in staging").isEmpty();
    assertThat(rows("SELECT col_description('versioned.items'::regclass, ordinal_position::int) FROM "
        + "information_schema.columns WHERE table_schema = 'versioned' AND table_name = 'items' AND column_name = 'written'"))
        .singleElement().asString().startsWith("derived: ");

    // A newer image after a deletion brings the row back and forgets the deletion.
    run(p, change("{\"id\": \"b\", \"written\": 21, \"n\": 4}"));
    assertThat(rows("SELECT id, n FROM versioned.items ORDER BY id")).containsExactly("a|1", "b|4", "c|30");
    assertThat(rows("SELECT version FROM versioned._observes_deleted")).containsExactly("7");
  }
}
