package io.observes.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code observes warehouse check} asks of a warehouse beyond the pipeline's own calls: a scratch
 * table's values read back (NULL flags, text, bytes, UTC instants, doubles compared exactly, exact
 * numbers, column types), the grants a schema and its tables carry, whether a group exists, the
 * client's own query-group statement applied, and the scratch schemas dropped. Values enter SQL only
 * through bind parameters, identifiers only through the client's {@link WarehouseClient#quoted}.
 *
 * <p>Which engine answers is asked of the database ({@code version()}), not of the client: the
 * Redshift rehearsal is Redshift's client on PostgreSQL, whose catalogs are PostgreSQL's.
 */
public final class WarehouseProbe {
  /** TO_CHAR's pattern (PostgreSQL's and Redshift's alike) for an instant read back in UTC, microseconds included. */
  private static final String UTC_PATTERN = "YYYY-MM-DD HH24:MI:SS.US";

  private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final BaseWarehouseClient sql;
  private volatile String version;

  private WarehouseProbe(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  /** A probe of {@code client}, which must be one of the product's SQL clients. */
  public static WarehouseProbe of(WarehouseClient client) {
    if (client instanceof BaseWarehouseClient base) {
      return new WarehouseProbe(base);
    }
    throw new IllegalArgumentException("the warehouse check needs one of Observes' SQL warehouse clients, not "
        + client.getClass().getName());
  }

  /** The database's own {@code version()} text. */
  public String version() {
    if (version == null) {
      version = sql.inTransaction("reading the warehouse's version", c -> {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT version()")) {
          r.next();
          return r.getString(1);
        }
      });
    }
    return version;
  }

  /** Whether the database is Amazon Redshift (its {@code version()} says so), whatever the client's dialect. */
  public boolean redshiftEngine() {
    return version().contains("Redshift");
  }

  /** The groups granted read access to every published schema (OBSERVES_WAREHOUSE_READERS). */
  public List<String> readers() {
    return sql.readers();
  }

  /** The statement a load runs first to choose its WLM queue, when the client has one configured. */
  public Optional<String> queryGroupStatement() {
    return sql instanceof RedshiftClient redshift ? Optional.ofNullable(redshift.queryGroupSql()) : Optional.empty();
  }

  /**
   * Runs the client's query-group statement on a connection of its own, then reads the setting back
   * (empty when the warehouse does not show it) and resets it. Throws what the warehouse said when it
   * refuses the statement.
   */
  public Optional<String> applyQueryGroup() {
    String statement = queryGroupStatement().orElseThrow(() -> new IllegalStateException("no query group configured"));
    try (Connection c = sql.connect()) {
      c.setAutoCommit(true);
      sql.execute(c, statement);
      Optional<String> shown;
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_setting('query_group')")) {
        shown = r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      } catch (SQLException unreadable) {
        shown = Optional.empty();
      }
      try {
        sql.execute(c, "RESET query_group");
      } catch (SQLException ignored) {
        // The pool's connection keeps the group, as every load's connection does.
      }
      return shown;
    } catch (SQLException e) {
      throw new WarehouseException(statement + " was refused: " + Transactions.describe(e), e);
    }
  }

  /** Whether {@code group} exists: Redshift's groups are in {@code pg_group}, PostgreSQL's are roles ({@code pg_roles}). */
  public boolean groupExists(String group) {
    String query = redshiftEngine() ? "SELECT 1 FROM pg_group WHERE groname = ?" : "SELECT 1 FROM pg_roles WHERE rolname = ?";
    return sql.inTransaction("looking up group " + group, c -> {
      try (PreparedStatement s = c.prepareStatement(query)) {
        s.setString(1, group);
        try (ResultSet r = s.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  /** The catalog a group is looked up in, for messages. */
  public String groupCatalog() {
    return redshiftEngine() ? "pg_group" : "pg_roles";
  }

  /** The ACL of {@code schema} ({@code pg_namespace.nspacl}); empty when it has none or no such schema. */
  public List<Grant> schemaGrants(String schema) {
    return sql.inTransaction("reading the grants of " + schema, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT array_to_string(nspacl, ',') FROM pg_namespace WHERE nspname = ?")) {
        s.setString(1, schema);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Grant.parseAcl(r.getString(1)) : List.of();
        }
      }
    });
  }

  /** The ACL of every table of {@code schema} ({@code pg_class.relacl}), by table. */
  public Map<String, List<Grant>> tableGrants(String schema) {
    return sql.inTransaction("reading the grants of the tables of " + schema, c -> {
      Map<String, List<Grant>> tables = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT c.relname, array_to_string(c.relacl, ',') FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.relname")) {
        s.setString(1, schema);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            tables.put(r.getString(1), Grant.parseAcl(r.getString(2)));
          }
        }
      }
      return tables;
    });
  }

  /** Per row (by the text of {@code keyColumn}): whether each of {@code columns} IS NULL. */
  public Map<String, Map<String, Boolean>> nulls(String schema, String table, String keyColumn, List<String> columns) {
    String select = columns.stream().map(col -> "CASE WHEN " + sql.quoted(col) + " IS NULL THEN 1 ELSE 0 END")
        .collect(Collectors.joining(", "));
    return byKey(schema, table, keyColumn, select, (r, out) -> {
      for (int i = 0; i < columns.size(); i++) {
        out.put(columns.get(i), r.getInt(i + 2) == 1);
      }
    });
  }

  /** Per row: each of {@code columns} as the driver's text, null for NULL. */
  public Map<String, Map<String, String>> texts(String schema, String table, String keyColumn, List<String> columns) {
    String select = columns.stream().map(sql::quoted).collect(Collectors.joining(", "));
    return byKey(schema, table, keyColumn, select, (r, out) -> {
      for (int i = 0; i < columns.size(); i++) {
        out.put(columns.get(i), r.getString(i + 2));
      }
    });
  }

  /** Per row: the UTF-8 bytes of text {@code column} ({@code OCTET_LENGTH}), null for NULL. */
  public Map<String, Long> octets(String schema, String table, String keyColumn, String column) {
    return single(byKey(schema, table, keyColumn, "OCTET_LENGTH(" + sql.quoted(column) + ")",
        (r, out) -> out.put(column, r.getObject(2) == null ? null : r.getLong(2))), column);
  }

  /** Per row: the instant TIMESTAMPTZ {@code column} holds, read in UTC to the microsecond; null for NULL. */
  public Map<String, Instant> instants(String schema, String table, String keyColumn, String column) {
    Map<String, String> texts = single(byKey(schema, table, keyColumn,
        "TO_CHAR(" + sql.quoted(column) + " AT TIME ZONE 'UTC', '" + UTC_PATTERN + "')",
        (r, out) -> out.put(column, r.getString(2))), column);
    Map<String, Instant> instants = new LinkedHashMap<>();
    texts.forEach((key, text) -> {
      try {
        instants.put(key, text == null ? null : LocalDateTime.parse(text, UTC_TEXT).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e) {
        throw new WarehouseException("the warehouse wrote " + schema + "." + table + "." + column + " of row " + key
            + " in UTC as '" + text + "', which is not " + UTC_PATTERN, e);
      }
    });
    return instants;
  }

  /** A DOUBLE PRECISION value read back: what the driver reads, and whether the warehouse finds it equal to the expected one. */
  public record DoubleReading(Double read, boolean equal) {}

  /** Per row of {@code expected}: {@code column} compared in the warehouse with the expected double, bound as a parameter. */
  public Map<String, DoubleReading> doubles(String schema, String table, String keyColumn, String column,
      Map<String, Double> expected) {
    String query = "SELECT " + sql.quoted(column) + ", CASE WHEN " + sql.quoted(column) + " = ? THEN 1 ELSE 0 END FROM "
        + sql.qualified(schema, table) + " WHERE " + sql.quoted(keyColumn) + " = ?";
    return sql.inTransaction("reading " + schema + "." + table, c -> {
      Map<String, DoubleReading> readings = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement(query)) {
        for (Map.Entry<String, Double> entry : expected.entrySet()) {
          s.setDouble(1, entry.getValue());
          s.setString(2, entry.getKey());
          try (ResultSet r = s.executeQuery()) {
            if (r.next()) {
              double value = r.getDouble(1);
              readings.put(entry.getKey(), new DoubleReading(r.wasNull() ? null : value, r.getInt(2) == 1));
            }
          }
        }
      }
      return readings;
    });
  }

  /** Per row: exact number {@code column}, null for NULL. */
  public Map<String, BigDecimal> numbers(String schema, String table, String keyColumn, String column) {
    return single(byKey(schema, table, keyColumn, sql.quoted(column),
        (r, out) -> out.put(column, r.getBigDecimal(2))), column);
  }

  /** The columns of {@code schema.table} as the types Observes creates (empty: a type it does not create). */
  public Map<String, Optional<ColumnType>> columnTypes(String schema, String table) {
    return sql.inTransaction("reading the columns of " + schema + "." + table, c -> TargetColumns.of(c, schema, table));
  }

  /**
   * Drops {@code schemas} (with everything in them) and the tables of {@code observes_meta} named after
   * one of them (their lock tables), each in its own transaction. Returns what it dropped.
   */
  public List<String> dropScratch(List<String> schemas) {
    return new ScratchCleanup(sql).drop(schemas);
  }

  private interface RowReaderOf<T> {
    void read(ResultSet r, Map<String, T> out) throws SQLException;
  }

  /** Every row of {@code schema.table}: the text of {@code keyColumn}, then {@code select} read by {@code reader}. */
  private <T> Map<String, Map<String, T>> byKey(String schema, String table, String keyColumn, String select,
      RowReaderOf<T> reader) {
    Objects.requireNonNull(keyColumn, "keyColumn");
    String query = "SELECT " + sql.quoted(keyColumn) + ", " + select + " FROM " + sql.qualified(schema, table) + " ORDER BY 1";
    return sql.inTransaction("reading " + schema + "." + table, c -> {
      Map<String, Map<String, T>> rows = new LinkedHashMap<>();
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
        while (r.next()) {
          Map<String, T> row = new LinkedHashMap<>();
          reader.read(r, row);
          rows.put(r.getString(1), row);
        }
      }
      return rows;
    });
  }

  private static <T> Map<String, T> single(Map<String, Map<String, T>> rows, String column) {
    Map<String, T> values = new LinkedHashMap<>();
    rows.forEach((key, row) -> values.put(key, row.get(column)));
    return values;
  }
}
