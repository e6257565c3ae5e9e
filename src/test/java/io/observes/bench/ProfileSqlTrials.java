package io.observes.bench;

import io.observes.pipeline.schema.Schema;
import io.observes.pipeline.schema.TableSchema;
import io.observes.testing.PostgresStandIn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The statements tried for a profile's key and orphan reads on PostgreSQL, timed on the bench's loaded
 * tables (each five times, in turn; with an EXPLAIN ANALYZE of a few): the root's distinct ids by a sort
 * or a hash, each child's orphans by a LEFT JOIN, NOT EXISTS or a hashed NOT IN, and a whole family's
 * ids in one hash aggregate. {@code BENCH_JAVA_OPTS=-Dbench.trials=true bench/run.sh ...}; the figures
 * behind docs/observability.md's choices.
 */
final class ProfileSqlTrials {
  private ProfileSqlTrials() {}

  static void run(PostgresStandIn pg, String schema, Schema tables, long loadNanos) throws Exception {
    TableSchema root = tables.tables().stream().filter(t -> t.key().isRoot() && !t.name().startsWith("_")).findFirst().orElseThrow();
    List<TableSchema> children = tables.tables().stream().filter(t -> !t.key().isRoot() && t.key().parent().equals(root.key())).toList();
    String r = PipelineBenchmark.q(schema) + "." + PipelineBenchmark.q(root.name());
    Map<String, String> trials = new LinkedHashMap<>();
    trials.put("root count(*)", "SELECT COUNT(*) FROM " + r);
    trials.put("root sort distinct C", "SELECT COUNT(*), COUNT(DISTINCT \"_observes_id\" COLLATE \"C\") FROM " + r);
    trials.put("root group by (hash)", "SELECT SUM(n), COUNT(k) FROM (SELECT \"_observes_id\" AS k, COUNT(*) AS n FROM " + r
        + " GROUP BY \"_observes_id\") d");
    trials.put("root having", "SELECT COUNT(*) FROM (SELECT \"_observes_id\" FROM " + r
        + " GROUP BY \"_observes_id\" HAVING COUNT(*) > 1) d");
    StringBuilder family = new StringBuilder("WITH k AS (SELECT \"_observes_id\" AS id, COUNT(*) AS n FROM " + r
        + " GROUP BY \"_observes_id\") SELECT * FROM (SELECT SUM(n), COUNT(id) FROM k) r0");
    int i = 0;
    for (TableSchema child : children) {
      String c = PipelineBenchmark.q(schema) + "." + PipelineBenchmark.q(child.name());
      trials.put(child.name() + " count(*)", "SELECT COUNT(*) FROM " + c);
      trials.put(child.name() + " left join", "SELECT COUNT(*), SUM(CASE WHEN t.\"_parent_id\" IS NOT NULL AND p.\"_observes_id\" "
          + "IS NULL THEN 1 ELSE 0 END) FROM " + c + " t LEFT JOIN " + r + " p ON p.\"_observes_id\" = t.\"_parent_id\"");
      trials.put(child.name() + " not exists", "SELECT COUNT(*) FROM " + c + " t WHERE t.\"_parent_id\" IS NOT NULL AND NOT EXISTS "
          + "(SELECT 1 FROM " + r + " p WHERE p.\"_observes_id\" = t.\"_parent_id\")");
      family.append(" CROSS JOIN (SELECT COUNT(*), SUM(CASE WHEN t.\"_parent_id\" IS NOT NULL AND k.id IS NULL THEN 1 ELSE 0 END) FROM ")
          .append(c).append(" t LEFT JOIN k ON k.id = t.\"_parent_id\") c").append(++i);
    }

    // One hash aggregate over every id of the family: the root's ids and each child's parent ids.
    StringBuilder union = new StringBuilder("SELECT SUM(r), SUM(CASE WHEN r > 0 THEN 1 ELSE 0 END)");
    StringBuilder inner = new StringBuilder("SELECT \"_observes_id\" AS id, 1 AS r");
    for (int c = 0; c < children.size(); c++) {
      inner.append(", 0 AS c").append(c);
      union.append(", SUM(c").append(c).append("), SUM(CASE WHEN r = 0 THEN c").append(c).append(" ELSE 0 END)");
    }
    inner.append(" FROM ").append(r);
    for (int c = 0; c < children.size(); c++) {
      inner.append(" UNION ALL SELECT \"_parent_id\", 0");
      for (int d = 0; d < children.size(); d++) {
        inner.append(d == c ? ", 1" : ", 0");
      }
      inner.append(" FROM ").append(PipelineBenchmark.q(schema)).append('.').append(PipelineBenchmark.q(children.get(c).name()));
    }
    StringBuilder sums = new StringBuilder("SELECT id, SUM(r) AS r");
    for (int c = 0; c < children.size(); c++) {
      sums.append(", SUM(c").append(c).append(") AS c").append(c);
    }
    trials.put("family (one hash aggregate, UNION ALL)", union + " FROM (" + sums + " FROM (" + inner + ") u GROUP BY id) g");
    for (TableSchema child : children) {
      String c = PipelineBenchmark.q(schema) + "." + PipelineBenchmark.q(child.name());
      trials.put(child.name() + " not in (hashed)", "SELECT COUNT(*) FROM " + c + " t WHERE t.\"_parent_id\" IS NOT NULL AND "
          + "t.\"_parent_id\" NOT IN (SELECT \"_observes_id\" FROM " + r + " WHERE \"_observes_id\" IS NOT NULL)");
    }
    for (String name : List.copyOf(trials.keySet())) {
      if (name.contains("left join") || name.contains("not exists") || name.contains("group by") || name.contains("distinct")) {
        trials.put(name + ", serial", "SET LOCAL max_parallel_workers_per_gather = 0; " + trials.get(name));
      }
    }
        trials.put("family UNION ALL, hashed, serial", "SET LOCAL enable_sort = off; SET LOCAL max_parallel_workers_per_gather = 0; "
        + trials.get("family (one hash aggregate, UNION ALL)"));
    trials.put("family UNION ALL, hashed", "SET LOCAL enable_sort = off; " + trials.get("family (one hash aggregate, UNION ALL)"));
        List<String> explained = List.of(children.get(0).name() + " left join", "root group by (hash)",
        "family UNION ALL, hashed, serial");
    Map<String, List<Long>> times = new LinkedHashMap<>();
    for (int round = 0; round < 5; round++) {
      for (Map.Entry<String, String> trial : trials.entrySet()) {
        try (Connection conn = pg.connect()) {
          conn.setAutoCommit(false);
          try (Statement s = conn.createStatement()) {
            s.execute("SET LOCAL work_mem = '64MB'");
            long t0 = System.nanoTime();
            String sql = trial.getValue();
            while (sql.startsWith("SET LOCAL")) {
              s.execute(sql.substring(0, sql.indexOf(';')));
              sql = sql.substring(sql.indexOf(';') + 2);
            }
            try (ResultSet rs = s.executeQuery(sql)) {
              rs.next();
            }
            times.computeIfAbsent(trial.getKey(), k -> new ArrayList<>()).add(System.nanoTime() - t0);
          }
          conn.rollback();
        }
      }
    }
    for (String name : explained) {
      try (Connection conn = pg.connect(); Statement s = conn.createStatement()) {
        conn.setAutoCommit(false);
        s.execute("SET LOCAL work_mem = '64MB'");
        String sql = trials.get(name);
        while (sql.startsWith("SET LOCAL")) {
          s.execute(sql.substring(0, sql.indexOf(';')));
          sql = sql.substring(sql.indexOf(';') + 2);
        }
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
          System.out.println("EXPLAIN " + name);
          while (rs.next()) {
            System.out.println("  " + rs.getString(1));
          }
        }
        conn.rollback();
      }
    }
    times.forEach((name, t) -> System.out.printf(Locale.ROOT, "trial %-40s %s ms; best %.1f%% of the load%n", name,
        t.stream().map(n -> String.format(Locale.ROOT, "%.0f", n / 1e6)).toList(),
        100.0 * t.stream().mapToLong(Long::longValue).min().orElseThrow() / loadNanos));
  }
}
