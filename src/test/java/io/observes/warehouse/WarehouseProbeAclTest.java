package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ACL text of pg_namespace.nspacl / pg_class.relacl as PostgreSQL and Redshift write it. */
class WarehouseProbeAclTest {
  @Test
  void postgresEntriesNameRolesAndPublic() {
    List<Grant> grants = Grant.parseAcl("postgres=UC/postgres,analysts=U/postgres,=U/postgres");

    assertThat(grants).containsExactly(new Grant("postgres", false, "UC"),
        new Grant("analysts", false, "U"), new Grant("", false, "U"));
  }

  @Test
  void redshiftGroupEntriesAreMarked() {
    List<Grant> grants = Grant.parseAcl("etl=arwdRxt/etl,group readers=r/etl");

    assertThat(grants).containsExactly(new Grant("etl", false, "arwdRxt"),
        new Grant("readers", true, "r"));
    assertThat(grants.get(1).has('r')).isTrue();
    assertThat(grants.get(1).has('U')).isFalse();
  }

  @Test
  void quotedNamesMayHoldCommasQuotesAndEquals() {
    List<Grant> grants = Grant.parseAcl("\"odd,=\"\"name\"=r*/owner,group \"bi team\"=U/owner");

    assertThat(grants).containsExactly(new Grant("odd,=\"name", false, "r*"),
        new Grant("bi team", true, "U"));
  }

  @Test
  void noAclIsNoGrant() {
    assertThat(Grant.parseAcl(null)).isEmpty();
    assertThat(Grant.parseAcl("")).isEmpty();
  }
}
