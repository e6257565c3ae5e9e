package io.observes.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.flatten.FlatRow;
import io.observes.pipeline.flatten.Flattener;
import io.observes.pipeline.schema.SourcePath;
import io.observes.pipeline.schema.TableKey;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stage step's orphan count, record by record, on the flattener's own rows: none while every row is
 * written (in any order within its record), and a dropped row's children and grandchildren once one is not.
 */
class RecordOrphansTest {
  private static final TableKey ROOT = TableKey.root("vulns");
  private static final TableKey FINDINGS = new TableKey("vulns", SourcePath.parse("findings[]"));
  private static final TableKey LINES = new TableKey("vulns", SourcePath.parse("findings[].lines[]"));

  private final Flattener flattener = new Flattener(4);

  private List<FlatRow> rows(String id) {
    List<FlatRow> rows = new ArrayList<>();
    flattener.flatten(new SourceRecord("vulns", List.of(id), (Value.Obj) JsonValues.parse("{\"id\": \"" + id + "\", "
        + "\"findings\": [{\"rule\": \"a\", \"lines\": [1, 2, 3]}, {\"rule\": \"b\", \"lines\": [4]}]}")), rows::add);
    return rows;
  }

  @Test
  void everyRowWrittenWithItsParentIsNoOrphanInAnyOrder() {
    RecordOrphans orphans = new RecordOrphans();
    for (String id : List.of("v-1", "v-2", "v-1")) {
      List<FlatRow> record = rows(id);
      // Children before their parents: the count waits for the record's end.
      Collections.reverse(record);
      record.forEach(orphans::written);
      orphans.endRecord();
    }

    assertThat(orphans.of(FINDINGS)).isZero();
    assertThat(orphans.of(LINES)).isZero();
    assertThat(orphans.of(ROOT)).isNull();
  }

  @Test
  void theChildrenOfARowNotWrittenAreOrphansAndCountedInTheirOwnRecord() {
    RecordOrphans orphans = new RecordOrphans();
    List<FlatRow> first = rows("v-1");
    assertThat(first).extracting(FlatRow::table).containsExactly(ROOT, FINDINGS, LINES, LINES, LINES, FINDINGS, LINES);
    // The first finding is not written: its three lines lose their parent.
    first.stream().filter(r -> r != first.get(1)).forEach(orphans::written);
    orphans.endRecord();
    // The root is not written: both findings lose theirs, the lines keep theirs.
    rows("v-2").stream().skip(1).forEach(orphans::written);
    orphans.endRecord();
    // A parent written for an earlier record does not count for a later one.
    List<FlatRow> third = rows("v-3");
    third.subList(0, 1).forEach(orphans::written);
    orphans.endRecord();
    third.subList(1, third.size()).forEach(orphans::written);
    orphans.endRecord();

    assertThat(orphans.of(FINDINGS)).isEqualTo(2 + 2);
    assertThat(orphans.of(LINES)).isEqualTo(3);
    assertThat(orphans.of(ROOT)).isNull();
  }
}
