package io.observes.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profiles in the run log: {@code observes_meta.table_profiles} (one row per table per run:
 * rows, key distinct values, orphans, how long its reads took, where its counts come from) and
 * {@code observes_meta.column_profiles} (one row per column per run: type, NULLs, lineage). A run's
 * rows are written in one transaction of a few multi-row INSERTs, which also deletes the profiles
 * older than the retention.
 */
final class ProfileLog {
  /** Lineage is a column comment; Redshift keeps at most 256 bytes of one, PostgreSQL more: kept to this. */
  static final int MAX_LINEAGE_BYTES = 4096;
  private static final int COLUMN_ROWS_PER_INSERT = 500;
  private static final int COLUMN_FIELDS = 9;
  /** Columns added to {@code table_profiles} after its first layout (RunLogMigrations adds them to older run logs). */
  static final Map<String, String> LATER_TABLE_COLUMNS = Map.of("counts_from", "VARCHAR(16)");

  private final BaseWarehouseClient sql;
  private final String tables;
  private final String columns;

  ProfileLog(BaseWarehouseClient sql) {
    this.sql = sql;
    this.tables = sql.qualified(BaseWarehouseClient.META_SCHEMA, "table_profiles");
    this.columns = sql.qualified(BaseWarehouseClient.META_SCHEMA, "column_profiles");
  }

  /** Creates both tables when missing; runs in the run log's creating transaction. */
  void create(Connection c) throws SQLException {
    String key = sql.columnDefinitions("job", "VARCHAR(128) NOT NULL", "run_id", "VARCHAR(128) NOT NULL", "table_name",
        "VARCHAR(127) NOT NULL", "profiled_at", "TIMESTAMPTZ NOT NULL");
    sql.execute(c, "CREATE TABLE IF NOT EXISTS " + tables + " (" + key + ", " + sql.columnDefinitions("target", "VARCHAR(127)",
        "row_count", "BIGINT NOT NULL", "key_column", "VARCHAR(127)", "key_distinct", "BIGINT", "parent_table", "VARCHAR(127)",
        "orphans", "BIGINT", "column_count", "INTEGER NOT NULL", "profile_ms", "BIGINT NOT NULL") + ", "
        + sql.columnDefinitions("counts_from", LATER_TABLE_COLUMNS.get("counts_from")) + ")");
    sql.execute(c, "CREATE TABLE IF NOT EXISTS " + columns + " (" + key + ", " + sql.columnDefinitions("column_name",
        "VARCHAR(127) NOT NULL", "position", "INTEGER NOT NULL", "column_type", "VARCHAR(64) NOT NULL", "nulls",
        "BIGINT NOT NULL", "lineage", "VARCHAR(" + MAX_LINEAGE_BYTES + ")") + ")");
  }

  void record(String job, String run, String target, Instant at, List<TableProfile> profiles, Instant pruneBefore) {
    sql.inTransaction("recording the profiles of run " + run, c -> {
      for (String table : List.of(tables, columns)) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE " + sql.quoted("profiled_at") + " < ?")) {
          s.setTimestamp(1, Timestamp.from(pruneBefore));
          s.executeUpdate();
        }
      }
      insertTables(c, job, run, target, at, profiles);
      List<Object[]> rows = new ArrayList<>();
      for (TableProfile p : profiles) {
        for (int i = 0; i < p.columns().size(); i++) {
          TableProfile.ColumnProfile col = p.columns().get(i);
          rows.add(new Object[] {job, run, p.table(), Timestamp.from(at), col.name(), i + 1, col.type(), col.nulls(),
              SqlNull.text(col.lineage() == null ? null : Utf8Text.cut(col.lineage(), MAX_LINEAGE_BYTES, RunLogTables.CUT))});
        }
      }
      for (int from = 0; from < rows.size(); from += COLUMN_ROWS_PER_INSERT) {
        List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + COLUMN_ROWS_PER_INSERT));
        insert(c, "INSERT INTO " + columns + " (" + sql.columnList("job", "run_id", "table_name", "profiled_at", "column_name",
            "position", "column_type", "nulls", "lineage") + ") VALUES ", COLUMN_FIELDS, chunk);
      }
      return null;
    });
  }

  private void insertTables(Connection c, String job, String run, String target, Instant at, List<TableProfile> profiles)
      throws SQLException {
    if (profiles.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>();
    for (TableProfile p : profiles) {
      rows.add(new Object[] {job, run, p.table(), Timestamp.from(at), SqlNull.text(target), p.rows(), SqlNull.text(p.keyColumn()),
          SqlNull.count(p.keyDistinct()), SqlNull.text(p.parentTable()), SqlNull.count(p.orphans()), p.columns().size(),
          p.took().toMillis(), p.countsFrom().label()});
    }
    insert(c, "INSERT INTO " + tables + " (" + sql.columnList("job", "run_id", "table_name", "profiled_at", "target",
        "row_count", "key_column", "key_distinct", "parent_table", "orphans", "column_count", "profile_ms", "counts_from")
        + ") VALUES ", 13, rows);
  }

  private static void insert(Connection c, String head, int fields, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder statement = new StringBuilder(head);
    String row = "(" + "?, ".repeat(fields - 1) + "?)";
    for (int i = 0; i < rows.size(); i++) {
      statement.append(i == 0 ? "" : ", ").append(row);
    }
    try (PreparedStatement s = c.prepareStatement(statement.toString())) {
      int p = 1;
      for (Object[] values : rows) {
        for (Object value : values) {
          bind(s, p++, value);
        }
      }
      s.executeUpdate();
    }
  }

  /** A NULL of a given SQL type: pgjdbc refuses a text-typed NULL for a BIGINT column. */
  private record SqlNull(int type) {
    static Object text(String value) {
      return value == null ? new SqlNull(java.sql.Types.VARCHAR) : value;
    }

    static Object count(Long value) {
      return value == null ? new SqlNull(java.sql.Types.BIGINT) : value;
    }
  }

  private static void bind(PreparedStatement s, int at, Object value) throws SQLException {
    if (value instanceof SqlNull none) {
      s.setNull(at, none.type());
    } else if (value instanceof String text) {
      s.setString(at, text);
    } else if (value instanceof Integer n) {
      s.setInt(at, n);
    } else if (value instanceof Long n) {
      s.setLong(at, n);
    } else {
      s.setTimestamp(at, (Timestamp) value);
    }
  }

  /** The profiles of {@code job} since {@code since}, oldest first. */
  List<RecordedProfile> read(String job, Instant since, java.util.Optional<String> table) {
    return sql.inTransaction("reading the profiles of " + job, c -> {
      String where = " WHERE " + sql.quoted("job") + " = ? AND " + sql.quoted("profiled_at") + " >= ?"
          + (table.isPresent() ? " AND " + sql.quoted("table_name") + " = ?" : "");
      Map<String, List<TableProfile.ColumnProfile>> byTable = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("run_id", "table_name", "column_name",
          "column_type", "nulls", "lineage") + " FROM " + columns + where + " ORDER BY " + sql.columnList("run_id",
          "table_name", "position"))) {
        bindFilter(s, job, since, table);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            byTable.computeIfAbsent(r.getString(1) + "\n" + r.getString(2), k -> new ArrayList<>())
                .add(new TableProfile.ColumnProfile(r.getString(3), r.getString(4), r.getLong(5), r.getString(6)));
          }
        }
      }
      List<RecordedProfile> found = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + sql.columnList("run_id", "table_name", "profiled_at", "target",
          "row_count", "key_column", "key_distinct", "parent_table", "orphans", "profile_ms", "counts_from") + " FROM " + tables
          + where
          + " ORDER BY " + sql.columnList("profiled_at", "table_name"))) {
        bindFilter(s, job, since, table);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            long distinct = r.getLong(7);
            Long keyDistinct = r.wasNull() ? null : distinct;
            long orphanCount = r.getLong(9);
            Long orphans = r.wasNull() ? null : orphanCount;
            TableProfile profile = new TableProfile(r.getString(2), r.getLong(5), r.getString(6), keyDistinct, r.getString(8),
                orphans, byTable.getOrDefault(r.getString(1) + "\n" + r.getString(2), List.of()),
                Duration.ofMillis(r.getLong(10)), TableProfile.CountsFrom.of(r.getString(11)));
            found.add(new RecordedProfile(job, r.getString(1), r.getString(4), r.getTimestamp(3).toInstant(), profile));
          }
        }
      }
      return found;
    });
  }

  private static void bindFilter(PreparedStatement s, String job, Instant since, java.util.Optional<String> table)
      throws SQLException {
    s.setString(1, job);
    s.setTimestamp(2, Timestamp.from(since));
    if (table.isPresent()) {
      s.setString(3, table.get());
    }
  }
}
