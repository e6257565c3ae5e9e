package io.observes.warehouse.rehearsal;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * The session and maintenance commands as Redshift takes them: SET/RESET of its parameters, LOCK
 * without a mode, TRUNCATE of one table outside a transaction block, ANALYZE of one table.
 */
final class RedshiftCommandRules {
  /**
   * Parameters SET may change on both Redshift and PostgreSQL
   * (https://docs.aws.amazon.com/redshift/latest/dg/cm_chap_ConfigurationRef.html, and SEED from
   * https://docs.aws.amazon.com/redshift/latest/dg/r_SET.html).
   */
  private static final Set<String> SHARED = Set.of("statement_timeout", "search_path", "timezone", "datestyle",
      "extra_float_digits", "seed");
  /**
   * Redshift's own parameters, which PostgreSQL does not know: the statement PostgreSQL receives sets
   * {@code redshift.<name>} instead (a custom parameter, which PostgreSQL accepts and SHOW reads
   * back), so that what runs on Redshift also runs in the rehearsal. Other parameters of the
   * configuration reference are refused until Observes needs them and they are added here.
   */
  private static final Set<String> REDSHIFT_ONLY = Set.of("query_group", "wlm_query_slot_count",
      "analyze_threshold_percent", "enable_result_cache_for_session", "enable_case_sensitive_identifier",
      "describe_field_name_in_uppercase");
  static final String POSTGRES_PREFIX = "redshift.";

  private RedshiftCommandRules() {}

  /** SET [SESSION | LOCAL] name {TO | =} value, SET TIME ZONE value, SET SESSION AUTHORIZATION / CHARACTERISTICS. */
  static void set(SqlStatement s) throws SQLException {
    int i = 1;
    if (s.word(i, "session") && (s.word(i + 1, "authorization") || s.word(i + 1, "characteristics"))) {
      return; // Commands of their own on Redshift too.
    }
    if (s.word(i, "session") || s.word(i, "local")) {
      i++;
    }
    if (s.word(i, "time") && s.word(i + 1, "zone")) {
      return;
    }
    parameter(s, i);
  }

  /** RESET name | RESET ALL. */
  static void reset(SqlStatement s) throws SQLException {
    if (!s.word(1, "all")) {
      parameter(s, 1);
    }
  }

  /** SHOW of a Redshift-only parameter reads the {@code redshift.} one in PostgreSQL; others are left as they are. */
  static void show(SqlStatement s) {
    SqlTokens.Token name = s.at(1);
    if (name != null && name.isName() && s.size() == 2 && REDSHIFT_ONLY.contains(name.value().toLowerCase(Locale.ROOT))) {
      s.edit(name.start(), name.end(), POSTGRES_PREFIX + name.value().toLowerCase(Locale.ROOT));
    }
  }

  private static void parameter(SqlStatement s, int i) throws SQLException {
    SqlTokens.Token name = s.at(i);
    if (name == null || !name.isName()) {
      return;
    }
    if (s.symbol(i + 1, ".")) {
      return; // A context variable (a.b): Redshift's SET takes them, and so does PostgreSQL.
    }
    String parameter = name.value().toLowerCase(Locale.ROOT);
    if (REDSHIFT_ONLY.contains(parameter)) {
      s.edit(name.start(), name.end(), POSTGRES_PREFIX + parameter);
    } else if (!SHARED.contains(parameter)) {
      throw s.refuse(RedshiftRule.SET_PARAMETER, parameter);
    }
  }

  /** LOCK [TABLE] name [, ...]: no IN ... MODE, no NOWAIT (https://docs.aws.amazon.com/redshift/latest/dg/r_LOCK.html). */
  static void lock(SqlStatement s) throws SQLException {
    for (int i = 1; i < s.size(); i++) {
      if (s.at(i).depth() == 0 && (s.word(i, "in") || s.word(i, "nowait"))) {
        throw s.refuse(RedshiftRule.LOCK_MODE, s.text(i, s.size()));
      }
    }
  }

  /** TRUNCATE [TABLE] name, outside a transaction block (https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html). */
  static void truncate(SqlStatement s, boolean inTransactionBlock) throws SQLException {
    if (inTransactionBlock) {
      throw s.refuse(RedshiftRule.TRUNCATE_IN_TRANSACTION, null);
    }
    int i = s.word(1, "table") ? 2 : 1;
    int end = s.nameEnd(i);
    if (end < s.size()) {
      throw s.refuse(RedshiftRule.TRUNCATE_ONE_TABLE, s.text(end, s.size()));
    }
  }

  /** ANALYZE [VERBOSE] [name [(columns)]] (https://docs.aws.amazon.com/redshift/latest/dg/r_ANALYZE.html). */
  static void analyze(SqlStatement s) throws SQLException {
    if (!s.commas(1, s.size(), 0).isEmpty()) {
      throw s.refuse(RedshiftRule.ANALYZE_ONE_TABLE, null);
    }
  }
}
