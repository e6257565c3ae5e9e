package io.observes.warehouse.rehearsal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * ALTER TABLE as Redshift takes it (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html):
 * one action per statement; ADD COLUMN with a type Redshift has and no key constraint; and ALTER
 * COLUMN ... TYPE only to change a VARCHAR's length, outside a transaction block, without USING,
 * on a column without a default, and never below the longest value the column holds (counted in
 * bytes, as Redshift does). The column's current type, default and values are read on the
 * statement's own connection.
 *
 * <p>The page forbids only shortening "less than maximum size of existing data", so a VARCHAR made
 * shorter that still holds every value passes, as it does on Redshift.
 */
final class RedshiftAlterTable {
  private RedshiftAlterTable() {}

  /** Checks {@code ALTER TABLE}; {@code i} is the index past TABLE. */
  static void check(SqlStatement s, int i, RedshiftStatementRules.Session session) throws SQLException {
    if (s.word(i, "if") && s.word(i + 1, "exists")) {
      i += 2;
    }
    if (s.word(i, "only")) {
      i++;
    }
    int nameStart = i;
    int nameEnd = s.nameEnd(i);
    i = s.symbol(nameEnd, "*") ? nameEnd + 1 : nameEnd;
    List<Integer> commas = s.commas(i, s.size(), 0);
    if (!commas.isEmpty() && !combinable(s, i, commas)) {
      throw s.refuse(RedshiftRule.ALTER_TABLE_ONE_ACTION, (commas.size() + 1) + " actions");
    }
    if (s.word(i, "add")) {
      addColumn(s, i + 1);
    } else if (s.word(i, "alter")) {
      int column = s.word(i + 1, "column") ? i + 2 : i + 1;
      int type = s.word(column + 1, "type") ? column + 2
          : s.word(column + 1, "set") && s.word(column + 2, "data") && s.word(column + 3, "type") ? column + 4 : -1;
      if (type > 0) {
        alterType(s, s.nameText(nameStart, nameEnd), s.at(column), type, session);
      } else if (s.word(i + 1, "column") || s.word(column + 1, "set") || s.word(column + 1, "drop")) {
        if (!s.word(column + 1, "encode")) {
          throw s.refuse(RedshiftRule.ALTER_COLUMN_OTHER, s.text(column + 1, s.size()));
        }
      }
    }
  }

  /** Several actions Redshift combines: ALTER COLUMN ... ENCODE clauses, or ALTER SORTKEY / DISTKEY / DISTSTYLE. */
  private static boolean combinable(SqlStatement s, int first, List<Integer> commas) {
    boolean encodes = true;
    boolean keys = true;
    int from = first;
    for (int k = 0; k <= commas.size(); k++) {
      int to = k < commas.size() ? commas.get(k) : s.size();
      int column = s.word(from + 1, "column") ? from + 2 : from + 1;
      encodes &= s.word(from, "alter") && s.word(column + 1, "encode");
      keys &= s.word(from, "alter") && (s.word(from + 1, "sortkey") || s.word(from + 1, "compound")
          || s.word(from + 1, "distkey") || s.word(from + 1, "diststyle"));
      from = to + 1;
    }
    return encodes || keys;
  }

  private static void addColumn(SqlStatement s, int i) throws SQLException {
    if (s.word(i, "constraint") || s.word(i, "primary") || s.word(i, "unique") || s.word(i, "foreign")
        || s.word(i, "check") || s.word(i, "exclude")) {
      if (s.word(i, "check") || s.word(i, "exclude") || s.word(i + 2, "check") || s.word(i + 2, "exclude")) {
        throw s.refuse(RedshiftRule.CHECK_CONSTRAINT, null);
      }
      return; // ADD table_constraint: Redshift takes it (informational).
    }
    int column = s.word(i, "column") ? i + 1 : i;
    if (s.word(column, "if")) {
      column += 3;
    }
    RedshiftColumnTypes.Type type = RedshiftColumnTypes.read(s, column + 1);
    if (type == null) {
      return;
    }
    RedshiftColumnTypes.checkColumn(s, type);
    for (int j = type.end(); j < s.size(); j++) {
      if (s.at(j).depth() == 0 && (s.word(j, "primary") || s.word(j, "unique") || s.word(j, "references"))) {
        throw s.refuse(RedshiftRule.ADD_COLUMN_CONSTRAINT, s.at(j).value().toUpperCase(java.util.Locale.ROOT));
      }
      if (s.word(j, "check")) {
        throw s.refuse(RedshiftRule.CHECK_CONSTRAINT, "CHECK");
      }
    }
  }

  private static void alterType(SqlStatement s, String table, SqlTokens.Token column, int typeAt,
      RedshiftStatementRules.Session session) throws SQLException {
    RedshiftColumnTypes.Type type = RedshiftColumnTypes.read(s, typeAt);
    if (type == null) {
      return;
    }
    for (int j = type.end(); j < s.size(); j++) {
      if (s.word(j, "using")) {
        throw s.refuse(RedshiftRule.ALTER_COLUMN_TYPE_USING, null);
      }
    }
    if (session.inTransactionBlock()) {
      throw s.refuse(RedshiftRule.ALTER_COLUMN_TYPE_IN_TRANSACTION, null);
    }
    if (!type.isVarchar()) {
      throw s.refuse(RedshiftRule.ALTER_COLUMN_TYPE_NOT_VARCHAR, "to " + type.name());
    }
    RedshiftColumnTypes.checkCast(s, type);
    Connection c = session.connection();
    if (c == null) {
      return;
    }
    String name = column.value();
    try (PreparedStatement q = c.prepareStatement("SELECT t.typname, a.atttypmod, a.atthasdef FROM pg_attribute a "
        + "JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attnum > 0 "
        + "AND NOT a.attisdropped")) {
      q.setString(1, table);
      q.setString(2, name);
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          return; // No such table or column: PostgreSQL says so.
        }
        if (!r.getString(1).equals("varchar")) {
          throw s.refuse(RedshiftRule.ALTER_COLUMN_TYPE_NOT_VARCHAR, "from " + r.getString(1));
        }
        if (r.getBoolean(3)) {
          throw s.refuse(RedshiftRule.ALTER_COLUMN_TYPE_WITH_DEFAULT, null);
        }
        int current = r.getInt(2) > 4 ? r.getInt(2) - 4 : Integer.MAX_VALUE;
        if (type.varcharBytes() < current) {
          long longest = longestBytes(c, table, name);
          if (longest > type.varcharBytes()) {
            throw s.refuse(RedshiftRule.ALTER_COLUMN_TYPE_SHORTER_THAN_DATA, "a value of " + longest + " bytes");
          }
        }
      }
    }
  }

  private static long longestBytes(Connection c, String table, String column) throws SQLException {
    try (Statement q = c.createStatement();
        ResultSet r = q.executeQuery("SELECT COALESCE(MAX(OCTET_LENGTH(\"" + column.replace("\"", "\"\"") + "\")), 0) FROM "
            + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
