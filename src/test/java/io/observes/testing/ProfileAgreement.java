package io.observes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.observes.warehouse.ProfileRequest;
import io.observes.warehouse.RecordedProfile;
import io.observes.warehouse.TableProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.observes.warehouse.WarehouseClient;

/**
 * A run's profiles taken from its staged counts against a scan of the same tables now: equal table
 * by table and column by column (rows, distinct keys, orphans, every column's type and NULLs).
 */
public final class ProfileAgreement {
  /** What must agree: a profile less its time and where its counts came from. */
  public record Counts(String table, long rows, String keyColumn, Long keyDistinct, String parentTable, Long orphans,
      Map<String, String> columns) {
    public static Counts of(TableProfile p) {
      Map<String, String> columns = new LinkedHashMap<>();
      p.columns().forEach(c -> columns.put(c.name(), c.type() + " nulls=" + c.nulls()));
      return new Counts(p.table(), p.rows(), p.keyColumn(), p.keyDistinct(), p.parentTable(), p.orphans(), columns);
    }
  }

  private ProfileAgreement() {}

  /**
   * The profiles {@code run} of run-log job {@code job} recorded for {@code target}: every table but
   * {@code _rejected} counted from the staged files, and each the same as a scan of the table now.
   * Returns the tables compared.
   */
  public static List<String> assertStagedIsScanned(WarehouseClient warehouse, String job, String run, String target) {
    List<TableProfile> recorded = warehouse.runLog().profiles(job, Instant.EPOCH, Optional.empty()).stream()
        .filter(r -> r.run().equals(run)).map(RecordedProfile::profile).toList();
    assertThat(recorded).as("profiles of run %s", run).isNotEmpty();
    assertThat(recorded).filteredOn(p -> !p.table().equals("_rejected"))
        .allSatisfy(p -> assertThat(p.countsFrom()).as(p.table()).isEqualTo(TableProfile.CountsFrom.STAGED));
    return assertSameAsScan(warehouse, target, recorded);
  }

  /** Each of {@code profiles} the same as a scan of its table in {@code schema} now; returns the tables compared. */
  public static List<String> assertSameAsScan(WarehouseClient warehouse, String schema, List<TableProfile> profiles) {
    List<TableProfile> scanned = warehouse.profile(schema, profiles.stream().map(ProfileAgreement::scanOf).toList());
    assertThat(scanned).allSatisfy(p -> assertThat(p.countsFrom()).isEqualTo(TableProfile.CountsFrom.SCANNED));
    Map<String, Counts> byScan = new LinkedHashMap<>();
    scanned.forEach(p -> byScan.put(p.table(), Counts.of(p)));
    for (TableProfile p : profiles) {
      assertThat(Counts.of(p)).as("%s from %s against a scan", p.table(), p.countsFrom().label())
          .isEqualTo(byScan.get(p.table()));
    }
    return profiles.stream().map(TableProfile::table).toList();
  }

  /** The request that profiled {@code p}, as a scan. */
  static ProfileRequest scanOf(TableProfile p) {
    if (p.parentTable() != null) {
      return ProfileRequest.child(p.table(), p.keyColumn(), "_parent_id", p.parentTable(), "_observes_id");
    }
    return p.keyColumn() == null ? ProfileRequest.plain(p.table()) : ProfileRequest.root(p.table(), p.keyColumn());
  }
}
