package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ACL text of pg_namespace.nspacl / pg_class.relacl as PostgreSQL and Redshift write it. */
class WarehouseProbeAclTest {
  @Test
  void postgresEntriesNameRolesAndPublic() {
    List<WarehouseProbe.Grant> grants = WarehouseProbe.parseAcl("postgres=UC/postgres,analysts=U/postgres,=U/postgres");

    assertThat(grants).containsExactly(new WarehouseProbe.Grant("postgres", false, "UC"),
        new WarehouseProbe.Grant("analysts", false, "U"), new WarehouseProbe.Grant("", false, "U"));
  }

  @Test
  void redshiftGroupEntriesAreMarked() {
    List<WarehouseProbe.Grant> grants = WarehouseProbe.parseAcl("etl=arwdRxt/etl,group readers=r/etl");

    assertThat(grants).containsExactly(new WarehouseProbe.Grant("etl", false, "arwdRxt"),
        new WarehouseProbe.Grant("readers", true, "r"));
    assertThat(grants.get(1).has('r')).isTrue();
    assertThat(grants.get(1).has('U')).isFalse();
  }

  @Test
  void quotedNamesMayHoldCommasQuotesAndEquals() {
    List<WarehouseProbe.Grant> grants = WarehouseProbe.parseAcl("\"odd,=\"\"name\"=r*/owner,group \"bi team\"=U/owner");

    assertThat(grants).containsExactly(new WarehouseProbe.Grant("odd,=\"name", false, "r*"),
        new WarehouseProbe.Grant("bi team", true, "U"));
  }

  @Test
  void noAclIsNoGrant() {
    assertThat(WarehouseProbe.parseAcl(null)).isEmpty();
    assertThat(WarehouseProbe.parseAcl("")).isEmpty();
  }
}
