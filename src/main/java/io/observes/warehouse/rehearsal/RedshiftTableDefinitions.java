package io.observes.warehouse.rehearsal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CREATE TABLE as Redshift takes it: column types it has, within its limits; no CHECK or EXCLUDE
 * constraint, partitioning, inheritance, tablespace or UNLOGGED table
 * (https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html).
 *
 * <p>Also a rewrite: Redshift accepts PRIMARY KEY, UNIQUE and FOREIGN KEY (REFERENCES) constraints
 * but never enforces them ("informational only",
 * https://docs.aws.amazon.com/redshift/latest/dg/t_Defining_constraints.html), so a rehearsal on
 * PostgreSQL must not enforce them either: they are cut out of the statement PostgreSQL receives,
 * table-level and column-level alike. NOT NULL, which Redshift does enforce, stays.
 */
final class RedshiftTableDefinitions {
  /** The key constraints a table-level element can start with. */
  private static final Set<String> TABLE_CONSTRAINTS = Set.of("primary", "unique", "foreign");

  private RedshiftTableDefinitions() {}

  /** Checks {@code CREATE ... TABLE} whose TABLE keyword is at {@code table}; strips its key constraints. */
  static void check(SqlStatement s, int table) throws SQLException {
    for (int i = 1; i < table; i++) {
      if (s.word(i, "unlogged")) {
        throw s.refuse(RedshiftRule.TABLE_FEATURE, "UNLOGGED");
      }
    }
    int i = table + 1;
    if (s.word(i, "if")) {
      i += 3;
    }
    i = s.nameEnd(i);
    if (s.word(i, "partition") && s.word(i + 1, "of")) {
      throw s.refuse(RedshiftRule.TABLE_FEATURE, "PARTITION OF");
    }
    if (!s.symbol(i, "(")) {
      return; // CREATE TABLE ... AS: the query's own rules apply.
    }
    int close = s.closing(i);
    for (int j = close + 1; j < s.size(); j++) {
      if (s.word(j, "inherits") || s.word(j, "tablespace") || s.word(j, "partition") && s.word(j + 1, "by")) {
        throw s.refuse(RedshiftRule.TABLE_FEATURE, s.at(j).value().toUpperCase(java.util.Locale.ROOT));
      }
    }
    int depth = s.at(i).depth() + 1;
    List<Integer> commas = s.commas(i + 1, close, depth);
    List<int[]> elements = new ArrayList<>();
    int from = i + 1;
    for (int k = 0; k <= commas.size(); k++) {
      int to = k < commas.size() ? commas.get(k) : close;
      if (from < to) {
        elements.add(new int[] {from, to});
      }
      from = to + 1;
    }
    int firstKept = -1;
    for (int k = 0; k < elements.size() && firstKept < 0; k++) {
      firstKept = keyConstraint(s, elements.get(k)[0]) ? -1 : k;
    }
    for (int k = 0; k < elements.size(); k++) {
      int[] e = elements.get(k);
      if (!keyConstraint(s, e[0])) {
        column(s, e[0], e[1]);
      } else if (firstKept >= 0 && k > firstKept) {
        // Cut with the comma before it: PRIMARY KEY (...), UNIQUE (...), FOREIGN KEY (...) REFERENCES ...
        s.edit(s.at(e[0] - 1).start(), s.at(e[1] - 1).end(), "");
      } else if (firstKept >= 0) {
        // Before every column: cut with the comma after it, up to the next element.
        s.edit(s.at(e[0]).start(), s.at(e[1] + 1).start(), "");
      }
    }
  }

  /** Whether the element at {@code from} is a table-level PRIMARY KEY, UNIQUE or FOREIGN KEY; refuses CHECK. */
  private static boolean keyConstraint(SqlStatement s, int from) throws SQLException {
    int kind = s.word(from, "constraint") ? from + 2 : from;
    if (s.word(kind, "check") || s.word(kind, "exclude")) {
      throw s.refuse(RedshiftRule.CHECK_CONSTRAINT, s.at(kind).value().toUpperCase(java.util.Locale.ROOT));
    }
    return s.at(kind) != null && s.at(kind).kind() == SqlTokens.Kind.WORD && TABLE_CONSTRAINTS.contains(s.at(kind).value());
  }

  /** A column definition {@code [from, to)} (or LIKE t): its type checked, its key constraints cut. */
  private static void column(SqlStatement s, int from, int to) throws SQLException {
    if (s.word(from, "like")) {
      return;
    }
    RedshiftColumnTypes.Type type = RedshiftColumnTypes.read(s, from + 1);
    if (type == null) {
      return;
    }
    RedshiftColumnTypes.checkColumn(s, type);
    columnConstraints(s, type.end(), to);
  }

  /** Cuts PRIMARY KEY, UNIQUE and REFERENCES out of a column's constraints {@code [from, to)}. */
  static void columnConstraints(SqlStatement s, int from, int to) throws SQLException {
    int i = from;
    while (i < to) {
      int kind = s.word(i, "constraint") ? i + 2 : i;
      int end;
      if (s.word(kind, "primary") && s.word(kind + 1, "key")) {
        end = kind + 2;
      } else if (s.word(kind, "unique")) {
        end = kind + 1;
      } else if (s.word(kind, "references")) {
        end = s.nameEnd(kind + 1);
        end = s.symbol(end, "(") ? s.closing(end) + 1 : end;
        end = referentialActions(s, end, to);
      } else if (s.word(kind, "check")) {
        throw s.refuse(RedshiftRule.CHECK_CONSTRAINT, "CHECK");
      } else {
        i = s.symbol(i, "(") ? s.closing(i) + 1 : i + 1;
        continue;
      }
      end = Math.min(deferrable(s, end, to), to);
      s.edit(s.at(i - 1).end(), s.at(end - 1).end(), "");
      i = end;
    }
  }

  /** Past MATCH ..., ON DELETE ... and ON UPDATE ... of a REFERENCES clause. */
  private static int referentialActions(SqlStatement s, int i, int to) {
    while (i < to) {
      if (s.word(i, "match")) {
        i += 2;
      } else if (s.word(i, "on") && (s.word(i + 1, "delete") || s.word(i + 1, "update"))) {
        i += 2;
        if (s.word(i, "no")) {
          i += 2;
        } else if (s.word(i, "set")) {
          i += 2;
          i = s.symbol(i, "(") ? s.closing(i) + 1 : i;
        } else {
          i++;
        }
      } else {
        return i;
      }
    }
    return i;
  }

  /** Past [NOT] DEFERRABLE and INITIALLY DEFERRED/IMMEDIATE. */
  static int deferrable(SqlStatement s, int i, int to) {
    while (i < to) {
      if (s.word(i, "deferrable")) {
        i++;
      } else if (s.word(i, "not") && s.word(i + 1, "deferrable") || s.word(i, "initially")) {
        i += 2;
      } else {
        return i;
      }
    }
    return i;
  }
}
