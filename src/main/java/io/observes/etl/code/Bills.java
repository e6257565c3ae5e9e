package io.observes.etl.code;

import io.observes.warehouse.CodeCommit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A month's bills (LEGACY.md §7): for every group active in the month, one line per author with a
 * commit first seen (anywhere) that month, taking the author's first such commit in the group (by
 * seen time, then hash), and naming the author's billed groups of the same organization.
 */
final class Bills {
  private Bills() {}

  static List<Bill> of(Set<String> activeGroups, List<CodeCommit> firstSeen,
      Function<String, String> organization) {
    Comparator<CodeCommit> first = Comparator.comparing(CodeCommit::seenAt).thenComparing(CodeCommit::hash);
    Map<String, Map<String, CodeCommit>> byGroupAndActor = new TreeMap<>();
    Map<String, Set<String>> groupsOfActor = new TreeMap<>();
    for (CodeCommit commit : firstSeen) {
      String actor = actor(commit);
      byGroupAndActor.computeIfAbsent(commit.group(), g -> new TreeMap<>())
          .merge(actor, commit, (a, b) -> first.compare(a, b) <= 0 ? a : b);
      groupsOfActor.computeIfAbsent(actor, a -> new TreeSet<>()).add(commit.group());
    }
    Set<String> groups = new TreeSet<>(activeGroups);
    groups.addAll(byGroupAndActor.keySet());
    Map<String, String> organizations = new LinkedHashMap<>();
    List<Bill> bills = new ArrayList<>();
    for (String group : groups) {
      String org = organizations.computeIfAbsent(group, organization);
      List<Bill.Line> lines = new ArrayList<>();
      byGroupAndActor.getOrDefault(group, Map.of()).forEach((actor, commit) -> {
        List<String> sameOrganization = groupsOfActor.get(actor).stream()
            .filter(g -> organizations.computeIfAbsent(g, organization).equals(org)).toList();
        lines.add(new Bill.Line(actor, commit.hash(), String.join(", ", sameOrganization), commit.repository()));
      });
      bills.add(new Bill(group, lines));
    }
    return bills;
  }

  static String actor(CodeCommit commit) {
    return (commit.authorName() == null ? "" : commit.authorName()) + " <"
        + (commit.authorEmail() == null ? "" : commit.authorEmail()) + ">";
  }
}
