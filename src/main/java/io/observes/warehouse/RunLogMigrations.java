package io.observes.warehouse;

import java.util.Map;

/**
 * Brings a run log written by an older Observes to the current layout: table keys split out of
 * {@code table_name}, and the columns added since created (nullable: older rows have no value).
 * Each step checks first and takes the table's lock, so concurrent nodes migrate once.
 */
final class RunLogMigrations {
  private final BaseWarehouseClient sql;
  private final String runs;
  private final String tables;

  RunLogMigrations(BaseWarehouseClient sql, String runs, String tables) {
    this.sql = sql;
    this.runs = runs;
    this.tables = tables;
  }

  static String entryColumns(BaseWarehouseClient sql) {
    return sql.columnDefinitions("job", "VARCHAR(128) NOT NULL", "run_id", "VARCHAR(128) NOT NULL", "phase",
        "VARCHAR(64) NOT NULL", "segment", "INTEGER");
  }

  /** {@code run_tables} as it was once table keys had their own column. */
  static String tableColumns(BaseWarehouseClient sql) {
    return entryColumns(sql) + ", " + sql.columnDefinitions("table_name", "VARCHAR(127)", "table_key",
        "VARCHAR(" + RunLogTables.MAX_KEY_BYTES + ")", "rows_written", "BIGINT", "rows_loaded", "BIGINT", "rows_rejected",
        "BIGINT", "bytes", "BIGINT", "recorded_at", "TIMESTAMPTZ NOT NULL");
  }

  /** Before table keys had their own column, the stage phase wrote them into table_name. */
  void splitTableKeys() {
    if (sql.inTransaction("reading the run log's columns", c -> RunLogTables.hasColumn(c, "run_tables", "table_key"))) {
      return;
    }
    String migrating = sql.qualified(BaseWarehouseClient.META_SCHEMA, "run_tables_migrating");
    String phase = sql.quoted("phase");
    String name = sql.quoted("table_name");
    sql.inTransaction("migrating the run log", c -> {
      sql.lockExclusive(c, tables);
      if (RunLogTables.hasColumn(c, "run_tables", "table_key")) {
        return null;
      }
      sql.execute(c, "DROP TABLE IF EXISTS " + migrating);
      sql.execute(c, "CREATE TABLE " + migrating + " (" + tableColumns(sql) + ")");
      sql.execute(c, "INSERT INTO " + migrating + " (" + sql.columnList("job", "run_id", "phase", "segment", "table_name",
          "table_key", "rows_written", "rows_loaded", "rows_rejected", "bytes", "recorded_at") + ") SELECT "
          + sql.columnList("job", "run_id", "phase", "segment") + ", CASE WHEN " + phase + " = 'stage' THEN NULL ELSE "
          + name + " END, CASE WHEN " + phase + " = 'stage' THEN " + name + " END, "
          + sql.columnList("rows_written", "rows_loaded", "rows_rejected", "bytes", "recorded_at") + " FROM " + tables);
      sql.execute(c, "DROP TABLE " + tables);
      sql.execute(c, "ALTER TABLE " + migrating + " RENAME TO " + sql.quoted("run_tables"));
      return null;
    });
  }

  /** The columns of {@code columns} that {@code table} (of the meta schema) lacks, added. */
  void addColumns(String table, Map<String, String> columns) {
    boolean complete = sql.inTransaction("reading the run log's columns", c -> {
      for (String column : columns.keySet()) {
        if (!RunLogTables.hasColumn(c, table, column)) {
          return false;
        }
      }
      return true;
    });
    if (complete) {
      return;
    }
    String qualified = table.equals("runs") ? runs : table.equals("run_tables") ? tables
        : sql.qualified(BaseWarehouseClient.META_SCHEMA, table);
    sql.inTransaction("adding columns to the run log's " + table, c -> {
      sql.lockExclusive(c, qualified);
      for (Map.Entry<String, String> column : columns.entrySet()) {
        if (!RunLogTables.hasColumn(c, table, column.getKey())) {
          sql.execute(c, "ALTER TABLE " + qualified + " ADD COLUMN " + sql.quoted(column.getKey()) + " " + column.getValue());
        }
      }
      return null;
    });
  }
}
