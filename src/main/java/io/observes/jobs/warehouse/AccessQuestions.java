package io.observes.jobs.warehouse;

import io.observes.pipeline.RunId;
import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.value.Value;
import io.observes.warehouse.StagingOwner;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.Grant;
import io.observes.warehouse.WarehouseProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Questions 6 to 8: who may read what the ETLs publish, and the WLM queue their loads ask for.
 *
 * <p>With no readers configured (OBSERVES_WAREHOUSE_READERS empty) questions 6 and 7 PASS saying
 * so: there is nothing to grant or to look up, and the swap itself is still run and verified.
 */
final class AccessQuestions {
  static final String GRANTS_QUESTION = "swap keeps the readers' grants";
  static final String GROUPS_QUESTION = "readers' groups exist";
  static final String QUERY_GROUP_QUESTION = "query group accepted";

  static final StreamSpec GRANTS = Probes.stream("grants");

  /** Swaps run for question 6: the second replaces a published schema, as every nightly run does. */
  static final int SWAPS = 2;

  private final ScratchTarget target;
  private final WarehouseClient warehouse;
  private final WarehouseProbe probe;

  AccessQuestions(ScratchTarget target, WarehouseClient warehouse, WarehouseProbe probe) {
    this.target = target;
    this.warehouse = warehouse;
    this.probe = probe;
  }

  // ---- 6. The swap keeps the readers' grants

  Answer swapKeepsGrants(int number) {
    String schema = target.target().schema();
    RunId last = null;
    for (int swap = 1; swap <= SWAPS; swap++) {
      last = new RunId("grants-" + swap);
      try {
        target.stageAndLoad(last, List.of(Probes.record(GRANTS, "swap-" + swap, "note", new Value.Text("swap " + swap))));
        target.publish(last);
      } catch (RuntimeException e) {
        return Answer.fail(number, GRANTS_QUESTION, "swap " + swap + " of " + SWAPS + " into " + schema + " failed: "
            + Answer.message(e));
      }
    }
    Optional<StagingOwner> owner = warehouse.owner(schema);
    if (owner.isEmpty() || !owner.get().run().equals(last.value())) {
      return Answer.fail(number, GRANTS_QUESTION, "after the swap of run " + last + ", " + schema + " holds run "
          + owner.map(StagingOwner::run).orElse("(none)") + ", expected " + last);
    }
    List<String> readers = probe.readers();
    if (readers.isEmpty()) {
      return Answer.pass(number, GRANTS_QUESTION, "no readers configured (OBSERVES_WAREHOUSE_READERS is empty): nothing "
          + "to grant, so nothing checked; the " + SWAPS + " swaps published " + schema + " (run " + last + ")");
    }
    List<Grant> schemaGrants = probe.schemaGrants(schema);
    Map<String, List<Grant>> tableGrants = probe.tableGrants(schema);
    List<String> problems = new ArrayList<>();
    for (String group : readers) {
      if (!granted(schemaGrants, group, 'U')) {
        problems.add("group " + group + " lacks USAGE on schema " + schema + " (its ACL: " + acl(schemaGrants) + ")");
      }
      List<String> unreadable = new ArrayList<>();
      tableGrants.forEach((table, grants) -> {
        if (!granted(grants, group, 'r')) {
          unreadable.add(table + " (ACL: " + acl(grants) + ")");
        }
      });
      if (!unreadable.isEmpty()) {
        problems.add("group " + group + " lacks SELECT on " + unreadable.size() + " of " + tableGrants.size() + " tables: "
            + String.join(", ", unreadable));
      }
    }
    if (tableGrants.isEmpty()) {
      problems.add(schema + " has no tables after the swap");
    }
    if (!problems.isEmpty()) {
      return Answer.fail(number, GRANTS_QUESTION, "after " + SWAPS + " swaps into " + schema + ": "
          + String.join("; ", problems));
    }
    return Answer.pass(number, GRANTS_QUESTION, "after " + SWAPS + " swaps into " + schema + ", group(s) "
        + String.join(", ", readers) + " hold USAGE on the schema and SELECT on all " + tableGrants.size()
        + " of its tables (read from pg_namespace.nspacl and pg_class.relacl)");
  }

  /** Whether {@code grants} give {@code group} {@code privilege}; on Redshift the entry must name a group. */
  private boolean granted(List<Grant> grants, String group, char privilege) {
    boolean redshift = probe.redshiftEngine();
    return grants.stream().anyMatch(g -> g.grantee().equals(group) && (g.group() || !redshift) && g.has(privilege));
  }

  private static String acl(List<Grant> grants) {
    if (grants.isEmpty()) {
      return "none";
    }
    return String.join(" ", grants.stream()
        .map(g -> (g.group() ? "group " : "") + (g.grantee().isEmpty() ? "PUBLIC" : g.grantee()) + "=" + g.privileges())
        .toList());
  }

  // ---- 7. The readers' groups exist

  Answer groupsExist(int number) {
    List<String> readers = probe.readers();
    if (readers.isEmpty()) {
      return Answer.pass(number, GROUPS_QUESTION, "no readers configured (OBSERVES_WAREHOUSE_READERS is empty): no group "
          + "to look up; published schemas are readable by their owner only");
    }
    List<String> missing = readers.stream().filter(group -> !probe.groupExists(group)).toList();
    if (!missing.isEmpty()) {
      return Answer.fail(number, GROUPS_QUESTION, "expected every reader group in " + probe.groupCatalog() + ", missing: "
          + String.join(", ", missing) + " (of " + String.join(", ", readers) + "); every publish grants them access, so "
          + "every publish fails until they exist (CREATE GROUP) or OBSERVES_WAREHOUSE_READERS drops them");
    }
    return Answer.pass(number, GROUPS_QUESTION, String.join(", ", readers) + " found in " + probe.groupCatalog());
  }

  // ---- 8. The query group

  Answer queryGroup(int number) {
    if (!probe.redshiftEngine()) {
      return Answer.pass(number, QUERY_GROUP_QUESTION, "not applicable: the warehouse is not Redshift ("
          + WarehouseCheck.engine(probe.version()) + "), which has no WLM query groups"
          + probe.queryGroupStatement().map(s -> "; the client would run " + s).orElse(""));
    }
    Optional<String> statement = probe.queryGroupStatement();
    if (statement.isEmpty()) {
      return Answer.pass(number, QUERY_GROUP_QUESTION, "no query group configured (OBSERVES_REDSHIFT_QUERY_GROUP is unset): "
          + "loads run in the default WLM queue of their user");
    }
    try {
      Optional<String> shown = probe.applyQueryGroup();
      return Answer.pass(number, QUERY_GROUP_QUESTION, statement.get() + " was accepted"
          + shown.map(s -> " (current_setting('query_group') reads '" + s + "')").orElse(""));
    } catch (RuntimeException e) {
      return Answer.fail(number, QUERY_GROUP_QUESTION, "expected " + statement.get() + " to be accepted, as every load "
          + "runs it first: " + Answer.message(e));
    }
  }
}
