package io.observes.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profiles published tables with at most ONE read each, all in one transaction (a parent and its
 * children seen at the same moment; on PostgreSQL a REPEATABLE READ one, see
 * {@link BaseWarehouseClient#beginProfile}).
 *
 * <p>A table a swap published, whose staged counts come with its request, is read only for what the
 * staged files cannot tell: its rows (which must equal the staged rows), a root table's distinct keys,
 * a child table's rows without a parent; its NULLs are its rows less the values the stage step counted
 * per column. That holds while the schema is the one the swap published: its owner row still names the
 * run, every column of the table has a staged count, and the rows read equal the staged rows;
 * otherwise the table is scanned. A scan is a single SELECT of the rows, the non-NULL values of every
 * column ({@code COUNT(col)} skips NULLs), the key's distinct values and the orphans.
 *
 * <p>A swapped-in child table whose stage step counted its orphans (record by record: a child row's
 * parent is in its record) takes them from there while its parent is also as staged, and is read only
 * for its rows. Other orphans come from a LEFT JOIN to the parent (a one-column read on Redshift's columnar storage).
 * Parents are profiled first: when the parent's keys were just counted unique the join reads the parent
 * table as it is, otherwise its {@code SELECT DISTINCT} keys, so that a repeated parent key never counts
 * a child row twice. Each table's time includes its share of the catalogue read.
 */
final class TableProfiler {
  private static final Logger LOG = LoggerFactory.getLogger(TableProfiler.class);
  private static final String TABLE = "t";
  private static final String PARENT = "p";

  private final BaseWarehouseClient sql;

  TableProfiler(BaseWarehouseClient sql) {
    this.sql = sql;
  }

  List<TableProfile> profile(String schema, List<ProfileRequest> requests) {
    return sql.inTransaction("profiling the tables of " + schema, c -> {
      long start = System.nanoTime();
      sql.beginProfile(c);
      ProfileCatalogue catalogue = ProfileCatalogue.read(c, schema);
      // In the transaction's snapshot: the run whose data the schema holds as the tables are read.
      String owner = requests.stream().anyMatch(r -> r.staged() != null)
          ? new StagingTables(sql).owner(c, schema).map(StagingOwner::run).orElse(null) : null;
      long share = (System.nanoTime() - start) / Math.max(1, requests.size());
      // Tables without a parent first, so that a child sees whether its parent's keys are unique.
      Map<String, TableProfile> done = new LinkedHashMap<>();
      for (boolean children : new boolean[] {false, true}) {
        for (ProfileRequest request : requests) {
          if (request.hasParent() == children && catalogue.has(request.table())) {
            done.put(request.table(), profile(c, schema, request, catalogue, share, done.get(request.parentTable()), owner));
          }
        }
      }
      List<TableProfile> profiles = new ArrayList<>();
      for (ProfileRequest request : requests) {
        if (done.containsKey(request.table())) {
          profiles.add(done.get(request.table()));
        }
      }
      return profiles;
    });
  }

  private TableProfile profile(Connection c, String schema, ProfileRequest request, ProfileCatalogue catalogue,
      long catalogueShare, TableProfile parent, String owner) throws SQLException {
    long start = System.nanoTime() - catalogueShare;
    StagedCounts staged = request.staged();
    if (staged != null && staged.run().equals(owner)
        && staged.values().keySet().equals(catalogue.types(request.table()).keySet())) {
      TableProfile read = read(c, schema, request, catalogue, parent, staged, start);
      if (read.rows() == staged.rows()) {
        return read;
      }
      LOG.warn("{}.{} holds {} rows, its staged files {}: something else wrote to it since the swap; scanning it",
          schema, request.table(), read.rows(), staged.rows());
    } else if (staged != null) {
      LOG.info("{}.{} is not (or no longer) what run {} staged (the schema's owner is {}, or its columns differ): "
          + "scanning it", schema, request.table(), staged.run(), owner);
    }
    return read(c, schema, request, catalogue, parent, null, start);
  }

  /** One SELECT: the rows, the key's distinct values, the orphans, and every column's values unless {@code staged} has them. */
  private TableProfile read(Connection c, String schema, ProfileRequest request, ProfileCatalogue catalogue,
      TableProfile parent, StagedCounts staged, long start) throws SQLException {
    Map<String, String> types = catalogue.types(request.table());
    boolean keyed = request.keyColumn() != null && types.containsKey(request.keyColumn());
    boolean linked = request.hasParent() && types.containsKey(request.parentColumn()) && catalogue.has(request.parentTable());
    Long counted = linked && stagedOrphans(staged, parent) ? staged.orphans() : null;
    StringBuilder select = new StringBuilder("SELECT COUNT(*)");
    if (staged == null) {
      for (String column : types.keySet()) {
        select.append(", COUNT(").append(column(TABLE, column)).append(')');
      }
    }
    if (keyed) {
      select.append(", ").append(sql.distinctCount(column(TABLE, request.keyColumn())));
    }
    boolean joined = linked && counted == null;
    if (joined) {
      select.append(", SUM(CASE WHEN ").append(column(TABLE, request.parentColumn())).append(" IS NOT NULL AND ")
          .append(column(PARENT, request.parentKey())).append(" IS NULL THEN 1 ELSE 0 END)");
    }
    select.append(" FROM ").append(sql.qualified(schema, request.table())).append(' ').append(sql.quoted(TABLE));
    if (joined && uniqueKeys(parent, request.parentKey())) {
      // Keys seen unique in this transaction: the parent table itself joins each child row at most once.
      select.append(" LEFT JOIN ").append(sql.qualified(schema, request.parentTable())).append(' ').append(sql.quoted(PARENT));
    } else if (joined) {
      select.append(" LEFT JOIN (SELECT DISTINCT ").append(sql.quoted(request.parentKey())).append(" FROM ")
          .append(sql.qualified(schema, request.parentTable())).append(") ").append(sql.quoted(PARENT));
    }
    if (joined) {
      select.append(" ON ").append(column(PARENT, request.parentKey())).append(" = ").append(column(TABLE, request.parentColumn()));
    }
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(select.toString())) {
      r.next();
      long rows = r.getLong(1);
      Map<String, String> comments = catalogue.comments(request.table());
      List<TableProfile.ColumnProfile> columns = new ArrayList<>();
      int at = 2;
      for (Map.Entry<String, String> column : types.entrySet()) {
        long nulls = staged == null ? rows - r.getLong(at++) : staged.nulls(column.getKey());
        columns.add(new TableProfile.ColumnProfile(column.getKey(), column.getValue(), nulls, comments.get(column.getKey())));
      }
      Long distinct = keyed ? r.getLong(at++) : null;
      // SUM over no rows is NULL: an empty child table has no orphan.
      Long orphans = joined ? Long.valueOf(r.getLong(at)) : counted;
      return new TableProfile(request.table(), rows, keyed ? request.keyColumn() : null, distinct,
          linked ? request.parentTable() : null, orphans, columns, Duration.ofNanos(System.nanoTime() - start),
          staged == null ? TableProfile.CountsFrom.SCANNED : TableProfile.CountsFrom.STAGED);
    }
  }

  /**
   * Whether a swapped-in child table's orphans come from its staged files rather than a join: the stage
   * step counted them, and its parent table, profiled earlier in this transaction, is still what the
   * swap published as far as its reads tell (counted from the staged files, so the same rows; and its
   * keys, where counted, unique). A parent whose keys repeat, or that was scanned, is joined: its rows
   * may not be the staged ones the children were counted against.
   */
  private static boolean stagedOrphans(StagedCounts staged, TableProfile parent) {
    return staged != null && staged.orphans() != null && parent != null
        && parent.countsFrom() == TableProfile.CountsFrom.STAGED
        && (parent.keyDistinct() == null || parent.keyDistinct() == parent.rows());
  }

  /**
   * Whether {@code parent}, profiled earlier in this transaction, has as many distinct {@code key}s as
   * rows (COUNT(DISTINCT) skips NULLs, so this also means no NULL key).
   */
  private static boolean uniqueKeys(TableProfile parent, String key) {
    return parent != null && key.equals(parent.keyColumn()) && parent.keyDistinct() != null
        && parent.keyDistinct() == parent.rows();
  }

  private String column(String alias, String column) {
    return sql.quoted(alias) + "." + sql.quoted(column);
  }
}
