package io.observes.warehouse.rehearsal;

import io.observes.warehouse.rehearsal.SqlTokens.Kind;
import io.observes.warehouse.rehearsal.SqlTokens.Token;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks SQL text against what Amazon Redshift refuses (the rules and their pages:
 * {@link RedshiftRule}) and returns the text PostgreSQL should run instead: the same, but for key
 * constraints Redshift does not enforce ({@link RedshiftTableDefinitions}) and Redshift-only SET
 * parameters ({@link RedshiftCommandRules}). A text may hold several statements; each is checked.
 * The checks read tokens ({@link SqlTokens}), so nothing inside a string literal, a quoted
 * identifier or a comment triggers a rule.
 *
 * <p>Checked in the Redshift docs and deliberately not rules, because Redshift takes them (and
 * Observes's SQL uses most): COALESCE, LIMIT/OFFSET with a bound parameter, {@code ORDER BY 2},
 * LIKE ... ESCAPE, CREATE TABLE ... (LIKE t), CREATE ... IF [NOT] EXISTS, DROP SCHEMA ... CASCADE,
 * ALTER SCHEMA/TABLE ... RENAME TO, COMMENT ON, GRANT ... TO GROUP, multi-row INSERT ... VALUES,
 * INSERT ... SELECT, UPDATE ... FROM, DELETE ... USING, WITH RECURSIVE and stored procedures (listed
 * unsupported by older versions of the features page, supported now), MERGE, TIME/TIMETZ columns,
 * qualified INTERVAL columns, {@code ::text} casts (TEXT becomes VARCHAR(256) only as a column
 * type), SUPER navigation with {@code [n]} and Redshift's own ARRAY(...) (so only ARRAY[...] and
 * {@code type[]} are refused), CONVERT() (Redshift has its own), pg_backend_pid(). Not rules either:
 * PostgreSQL's functions in a query that reads only catalog tables or none, which Redshift runs on
 * its leader node, where they work ({@link RedshiftExpressionRules#leaderNodeOnly}; {@code SELECT
 * now()} passes, {@code now()} with a table is refused); ALTER TABLE ... ADD COLUMN IF NOT EXISTS
 * (the docs neither show nor exclude it); system column names (oid, xmin, ctid...) as column names,
 * which PostgreSQL refuses by itself; pg_last_copy_count() and the STL/SYS views, Redshift's own,
 * on which PostgreSQL fails by itself. Not checked: what a statement does at run time (a VARCHAR
 * value over its length in bytes, as Redshift counts, but not in characters, as PostgreSQL does),
 * and SQL sent through {@code PGConnection.getCopyAPI()}, which bypasses JDBC statements.
 */
final class RedshiftStatementRules {
  /** The connection a text runs on, as the rules need it. */
  interface Session {
    /** Whether the text starts inside a transaction block (JDBC autocommit off, or BEGIN sent). */
    boolean inTransactionBlock() throws SQLException;

    /** Whether each statement commits on its own. */
    boolean autoCommit() throws SQLException;

    /** The real connection, for look-ups that must not be checked themselves; null when there is none. */
    Connection connection();
  }

  private static final Set<String> CREATE_MODIFIERS = Set.of("or", "replace", "temp", "temporary", "local", "global",
      "unlogged", "unique", "trusted", "procedural", "recursive", "materialized");
  private static final Set<String> MISSING_CREATES = Set.of("trigger", "type", "domain", "rule", "tablespace",
      "publication", "subscription", "foreign", "server", "event", "collation", "aggregate", "operator", "cast",
      "conversion", "statistics", "access", "transform");
  private static final Set<String> MISSING_COMMANDS = Set.of("cluster", "reindex", "discard", "checkpoint", "do",
      "load", "security", "import");

  private RedshiftStatementRules() {}

  /** The text PostgreSQL should run for {@code sql}; throws (SQLState 0A000) where Redshift would refuse it. */
  static String check(String sql, Session session) throws SQLException {
    List<SqlStatement.Edit> edits = new ArrayList<>();
    Boolean[] explicitBlock = {null};
    Session current = new Session() {
      @Override
      public boolean inTransactionBlock() throws SQLException {
        return explicitBlock[0] == null ? session.inTransactionBlock() : explicitBlock[0] || !session.autoCommit();
      }

      @Override
      public boolean autoCommit() throws SQLException {
        return session.autoCommit();
      }

      @Override
      public Connection connection() {
        return session.connection();
      }
    };
    for (List<Token> tokens : SqlTokens.statements(SqlTokens.tokenize(sql))) {
      SqlStatement s = new SqlStatement(sql, tokens, edits);
      statement(s, current);
      // BEGIN ...; in the same text opens a transaction block for the statements after it.
      if (s.word(0, "begin") || s.word(0, "start") && s.word(1, "transaction")) {
        explicitBlock[0] = true;
      } else if (s.word(0, "commit") || s.word(0, "end") || s.word(0, "rollback") || s.word(0, "abort")) {
        explicitBlock[0] = false;
      }
    }
    if (edits.isEmpty()) {
      return sql;
    }
    StringBuilder rewritten = new StringBuilder(sql);
    edits.sort(Comparator.comparingInt(SqlStatement.Edit::start).reversed());
    for (SqlStatement.Edit e : edits) {
      rewritten.replace(e.start(), e.end(), e.text());
    }
    return rewritten.toString();
  }

  private static void statement(SqlStatement s, Session session) throws SQLException {
    tokens(s);
    RedshiftExpressionRules.check(s);
    switch (s.at(0).value()) {
      case "create" -> create(s);
      case "alter" -> {
        if (s.word(1, "table")) {
          RedshiftAlterTable.check(s, 2, session);
        } else if (s.word(1, "sequence")) {
          throw s.refuse(RedshiftRule.SEQUENCE, null);
        }
      }
      case "drop" -> {
        if (s.word(1, "sequence")) {
          throw s.refuse(RedshiftRule.SEQUENCE, null);
        } else if (s.word(1, "index")) {
          throw s.refuse(RedshiftRule.INDEX, null);
        }
      }
      case "lock" -> RedshiftCommandRules.lock(s);
      case "truncate" -> RedshiftCommandRules.truncate(s, session.inTransactionBlock());
      case "analyze" -> RedshiftCommandRules.analyze(s);
      case "set" -> RedshiftCommandRules.set(s);
      case "reset" -> RedshiftCommandRules.reset(s);
      case "show" -> RedshiftCommandRules.show(s);
      case "listen", "notify", "unlisten" -> throw s.refuse(RedshiftRule.LISTEN_NOTIFY, null);
      case "savepoint", "release" -> throw s.refuse(RedshiftRule.SAVEPOINT, null);
      case "rollback" -> {
        if (s.word(1, "to") || s.word(2, "to")) {
          throw s.refuse(RedshiftRule.SAVEPOINT, null);
        }
      }
      default -> {
        if (MISSING_COMMANDS.contains(s.at(0).value()) && s.at(0).kind() == Kind.WORD) {
          throw s.refuse(RedshiftRule.COMMAND, s.at(0).value().toUpperCase(java.util.Locale.ROOT));
        }
      }
    }
  }

  private static void create(SqlStatement s) throws SQLException {
    int i = 1;
    while (s.at(i) != null && CREATE_MODIFIERS.contains(s.at(i).value()) && s.at(i).kind() == Kind.WORD) {
      i++;
    }
    String object = s.at(i) == null ? "" : s.at(i).value();
    switch (object) {
      case "table" -> RedshiftTableDefinitions.check(s, i);
      case "index" -> throw s.refuse(RedshiftRule.INDEX, null);
      case "sequence" -> throw s.refuse(RedshiftRule.SEQUENCE, null);
      case "extension" -> throw s.refuse(RedshiftRule.EXTENSION, null);
      default -> {
        if (MISSING_CREATES.contains(object)) {
          throw s.refuse(RedshiftRule.COMMAND, "CREATE " + object.toUpperCase(java.util.Locale.ROOT));
        }
      }
    }
  }

  /** Rules on single tokens: identifier lengths and characters, string literals left open. */
  private static void tokens(SqlStatement s) throws SQLException {
    for (int i = 0; i < s.size(); i++) {
      Token t = s.at(i);
      if (t.kind() == Kind.QUOTED || t.kind() == Kind.WORD) {
        String name = t.kind() == Kind.QUOTED ? t.value() : s.text(i, i + 1);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 127) {
          throw s.refuse(RedshiftRule.IDENTIFIER_LENGTH, bytes + " bytes");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
          throw s.refuse(RedshiftRule.IDENTIFIER_CONTROL, null);
        }
      } else if (t.kind() == Kind.STRING && t.open()) {
        throw s.refuse(RedshiftRule.OPEN_STRING, null);
      }
    }
  }
}
