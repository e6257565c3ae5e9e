package io.observes.warehouse.rehearsal;

import io.observes.warehouse.rehearsal.SqlTokens.Kind;
import io.observes.warehouse.rehearsal.SqlTokens.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules on expressions and clauses, wherever they stand in a statement: functions PostgreSQL
 * has and Redshift does not (https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-functions.html),
 * deprecated leader-node-only functions, sequences, advisory locks, ON CONFLICT, RETURNING, locking
 * reads, DISTINCT ON, FILTER on aggregates, IS DISTINCT FROM, VALUES lists as tables, ARRAY
 * constructors, and the types of casts ({@link RedshiftColumnTypes}).
 */
final class RedshiftExpressionRules {
  /** Functions PostgreSQL has and Redshift does not, by the rule they break. */
  private static final Map<String, RedshiftRule> FUNCTIONS = functions();
  private static final Set<String> LEADER_NODE_WORDS = Set.of("current_time", "current_timestamp", "localtime");
  private static final Set<String> CATALOG_SCHEMAS = Set.of("pg_catalog", "information_schema");
  /** Words that end a FROM item rather than alias it. */
  private static final Set<String> CLAUSE_WORDS = Set.of("where", "join", "on", "using", "group", "order", "limit",
      "offset", "having", "window", "union", "intersect", "except", "minus", "left", "right", "inner", "full", "cross",
      "natural", "for", "fetch", "qualify");

  private RedshiftExpressionRules() {}

  static void check(SqlStatement s) throws SQLException {
    expressions(s, !leaderNodeOnly(s));
  }

  /**
   * Whether Redshift runs {@code s} on the leader node alone: a SELECT that reads only catalog tables
   * (pg_*, pg_catalog, information_schema) or none. There PostgreSQL's functions, casts and
   * leader-node-only functions work
   * (https://docs.aws.amazon.com/redshift/latest/dg/c_sql-functions-leader-node.html), so the
   * function and cast rules leave it alone (Observes's probe reads ACLs with array_to_string, for
   * one); sequences, notifications, advisory locks and the unsupported features are refused there too.
   */
  static boolean leaderNodeOnly(SqlStatement s) {
    if (!s.word(0, "select")) {
      return false;
    }
    for (int i = 0; i < s.size(); i++) {
      if (!s.word(i, "from") && !s.word(i, "join")) {
        continue;
      }
      int j = i + 1;
      while (s.at(j) != null) {
        if (s.symbol(j, "(")) {
          j = s.closing(j) + 1; // A subquery: its own FROM is looked at in turn.
        } else if (s.at(j).isName() && !s.word(j, "lateral")) {
          int end = s.nameEnd(j);
          boolean catalog = end - j >= 3 ? CATALOG_SCHEMAS.contains(s.at(end - 3).value())
              : s.at(j).value().startsWith("pg_");
          if (!catalog) {
            return false;
          }
          j = end;
        } else {
          return false;
        }
        j = s.word(j, "as") ? j + 1 : j;
        j = s.at(j) != null && s.at(j).isName() && !CLAUSE_WORDS.contains(s.at(j).value()) ? j + 1 : j;
        if (!s.symbol(j, ",")) {
          break;
        }
        j++;
      }
    }
    return true;
  }

  /** Rules on expressions and clauses, anywhere in a statement. */
  private static void expressions(SqlStatement s, boolean onComputeNodes) throws SQLException {
    List<Integer> casts = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      Token t = s.at(i);
      if (t.isSymbol("::")) {
        casts.add(i + 1);
      }
      if (t.kind() != Kind.WORD) {
        continue;
      }
      String w = t.value();
      boolean call = s.symbol(i + 1, "(");
      if (call && (w.startsWith("pg_advisory_") || w.startsWith("pg_try_advisory_"))) {
        throw s.refuse(RedshiftRule.ADVISORY_LOCK, w + "()");
      }
      if (call && (FUNCTIONS.get(w) == RedshiftRule.SEQUENCE || FUNCTIONS.get(w) == RedshiftRule.LISTEN_NOTIFY)) {
        throw s.refuse(FUNCTIONS.get(w), w + "()");
      }
      if (onComputeNodes && call && FUNCTIONS.containsKey(w)) {
        throw s.refuse(FUNCTIONS.get(w), w + "()");
      }
      if (onComputeNodes && LEADER_NODE_WORDS.contains(w)) {
        throw s.refuse(RedshiftRule.LEADER_NODE_FUNCTION, w.toUpperCase(java.util.Locale.ROOT));
      }
      if (w.equals("on") && s.word(i + 1, "conflict")) {
        throw s.refuse(RedshiftRule.ON_CONFLICT, null);
      }
      if (w.equals("returning")) {
        throw s.refuse(RedshiftRule.RETURNING, null);
      }
      if (w.equals("for") && (s.word(i + 1, "update") || s.word(i + 1, "share") || s.word(i + 1, "no")
          && s.word(i + 2, "key") || s.word(i + 1, "key") && s.word(i + 2, "share"))) {
        throw s.refuse(RedshiftRule.LOCKING_READ, s.text(i, Math.min(i + 2, s.size())));
      }
      if (w.equals("distinct") && s.word(i + 1, "on")) {
        throw s.refuse(RedshiftRule.DISTINCT_ON, null);
      }
      if (onComputeNodes && w.equals("distinct") && s.word(i + 1, "from") && (s.word(i - 1, "is") || s.word(i - 1, "not"))) {
        throw s.refuse(RedshiftRule.IS_DISTINCT_FROM, null);
      }
      if (w.equals("filter") && call && s.word(i + 2, "where")) {
        throw s.refuse(RedshiftRule.AGGREGATE_FILTER, null);
      }
      if (w.equals("values") && (s.symbol(i - 1, "(") || s.word(i - 1, "union") || s.word(i - 1, "all")
          || s.word(i - 1, "intersect") || s.word(i - 1, "except"))) {
        throw s.refuse(RedshiftRule.VALUES_TABLE, null);
      }
      // ARRAY(...) is Redshift's own SUPER constructor (r_array.html); ARRAY[...] is PostgreSQL's.
      if (w.equals("array") && s.symbol(i + 1, "[")) {
        throw s.refuse(RedshiftRule.ARRAY, "ARRAY" + s.at(i + 1).value());
      }
      if (w.equals("cast") && call) {
        int close = s.closing(i + 1);
        for (int j = close - 1; j > i + 1; j--) {
          if (s.word(j, "as") && s.at(j).depth() == t.depth() + 1) {
            casts.add(j + 1);
            break;
          }
        }
      }
    }
    for (int at : onComputeNodes ? casts : List.<Integer>of()) {
      RedshiftColumnTypes.Type type = RedshiftColumnTypes.read(s, at);
      if (type != null) {
        RedshiftColumnTypes.checkCast(s, type);
      }
    }
  }

  private static Map<String, RedshiftRule> functions() {
    Map<String, RedshiftRule> f = new java.util.HashMap<>();
    for (String name : List.of("string_agg", "array_agg", "every", "xmlagg", "corr", "covar_pop", "covar_samp",
        "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy",
        "regr_syy", "clock_timestamp", "justify_days", "justify_hours", "justify_interval", "pg_sleep",
        "transaction_timestamp", "div", "setseed", "width_bucket", "generate_series", "generate_subscripts",
        "bit_length", "overlay", "convert_from", "convert_to", "encode", "format", "quote_nullable", "regexp_matches",
        "regexp_split_to_array", "regexp_split_to_table", "unnest", "array_length", "array_to_string",
        "string_to_array", "array_append", "array_cat", "array_position", "json_agg", "jsonb_agg", "json_build_object",
        "jsonb_build_object", "to_json", "to_jsonb", "row_to_json", "txid_current", "pg_current_xact_id")) {
      f.put(name, RedshiftRule.FUNCTION);
    }
    for (String name : List.of("nextval", "currval", "setval", "lastval")) {
      f.put(name, RedshiftRule.SEQUENCE);
    }
    for (String name : List.of("now", "age", "isfinite")) {
      f.put(name, RedshiftRule.LEADER_NODE_FUNCTION);
    }
    f.put("pg_notify", RedshiftRule.LISTEN_NOTIFY);
    return Map.copyOf(f);
  }
}
