package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reads of {@code code.commits} (the code ETL's table: {@code namespace} = the platform group,
 * {@code repository}, {@code hash}, {@code fa_hash}, {@code author_name}, {@code author_email},
 * {@code seen_at}) that billing needs. Months are UTC calendar months. The placeholder hash of 40
 * dashes (a repository seen without commits) never counts; a commit without {@code fa_hash} is
 * identified by its own hash.
 */
final class CodeCommits {
  static final String NO_COMMIT = "-".repeat(40);
  private static final List<String> COLUMNS = List.of("namespace", "repository", "hash", "fa_hash", "author_name",
      "author_email", "seen_at");

  private final BaseWarehouseClient sql;

  CodeCommits(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  /** The groups with a commit seen in {@code month}. */
  Set<String> activeGroups(String schema, YearMonth month) {
    return sql.inTransaction("reading the groups active in " + month, c -> {
      requireColumns(c, schema);
      try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT " + sql.quoted("namespace") + " FROM "
          + sql.qualified(schema, "commits") + " WHERE " + sql.quoted("seen_at") + " >= ? AND " + sql.quoted("seen_at")
          + " < ? AND " + sql.quoted("hash") + " <> ?")) {
        bindMonth(s, month);
        s.setString(3, NO_COMMIT);
        Set<String> groups = new TreeSet<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            groups.add(r.getString(1));
          }
        }
        return groups;
      }
    });
  }

  /** The commits seen in {@code month} whose {@code fa_hash} was first seen, anywhere, in that month. */
  List<CodeCommit> firstSeenIn(String schema, YearMonth month) {
    return sql.inTransaction("reading the commits first seen in " + month, c -> {
      requireColumns(c, schema);
      String commits = sql.qualified(schema, "commits");
      String identity = "COALESCE(" + sql.quoted("fa_hash") + ", " + sql.quoted("hash") + ")";
      String seen = sql.quoted("seen_at");
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("namespace", "repository", "hash",
          "author_name", "author_email", "seen_at") + " FROM " + commits + " WHERE " + seen + " >= ? AND " + seen + " < ? AND "
          + sql.quoted("hash") + " <> ? AND " + identity + " IN (SELECT " + identity + " FROM " + commits + " GROUP BY "
          + identity + " HAVING MIN(" + seen + ") >= ? AND MIN(" + seen + ") < ?)")) {
        bindMonth(s, month);
        s.setString(3, NO_COMMIT);
        s.setTimestamp(4, start(month));
        s.setTimestamp(5, start(month.plusMonths(1)));
        List<CodeCommit> found = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            found.add(new CodeCommit(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                r.getTimestamp(6).toInstant()));
          }
        }
        return found;
      }
    });
  }

  private void requireColumns(Connection c, String schema) throws SQLException {
    List<String> missing = new ArrayList<>(COLUMNS);
    try (PreparedStatement s = c.prepareStatement(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'commits'")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          missing.remove(r.getString(1));
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new WarehouseException(schema + ".commits lacks the column(s) " + missing + " that billing reads (it needs "
          + COLUMNS + "): is the code ETL's table there, under this schema?");
    }
  }

  private static void bindMonth(PreparedStatement s, YearMonth month) throws SQLException {
    s.setTimestamp(1, start(month));
    s.setTimestamp(2, start(month.plusMonths(1)));
  }

  private static Timestamp start(YearMonth month) {
    Instant at = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    return Timestamp.from(at);
  }
}
