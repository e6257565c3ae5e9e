package io.observes.warehouse.rehearsal;

import io.observes.warehouse.RedshiftClient;
import io.observes.warehouse.RunEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.observes.testing.PostgresStandIn;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

/**
 * {@link RedshiftRules} on a real embedded PostgreSQL: each rule refuses (SQLState 0A000, the rule
 * named, nothing sent to PostgreSQL) and its near miss passes. {@link #reached} records every text
 * that got through to PostgreSQL, underneath the rules.
 */
class RedshiftRulesTest {
  private static PostgresStandIn pg;
  private static HikariDataSource pool;
  private static final List<String> reached = new CopyOnWriteArrayList<>();
  private static DataSource redshift;

  @BeforeAll
  static void start() throws Exception {
    pg = new PostgresStandIn();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername("postgres");
    config.setMaximumPoolSize(8);
    pool = new HikariDataSource(config);
    redshift = RedshiftRules.enforcing(recording(pool), StatementCapture.NONE);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    pg.close();
  }

  /** Refused: SQLState 0A000, the message in the documented form naming {@code rule}, never sent. */
  static SQLException refused(Connection c, String sql, String rule) {
    Throwable thrown = catchThrowable(() -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    });
    assertThat(thrown).as("refused: %s", sql).isInstanceOf(SQLException.class);
    SQLException e = (SQLException) thrown;
    assertThat(e.getSQLState()).isEqualTo("0A000");
    assertThat(e.getMessage()).startsWith("Redshift refuses this: ").contains(rule)
        .containsPattern("\\(https://docs\\.aws\\.amazon\\.com/redshift/latest/dg/[A-Za-z0-9_-]+\\.html\\) in: ");
    assertThat(reached).as("never sent to PostgreSQL").doesNotContain(sql);
    return e;
  }

  static SQLException refused(String sql, String rule) throws SQLException {
    try (Connection c = redshift.getConnection()) {
      return refused(c, sql, rule);
    }
  }

  static void run(String... sql) throws SQLException {
    try (Connection c = redshift.getConnection(); Statement s = c.createStatement()) {
      for (String each : sql) {
        s.execute(each);
      }
    }
  }

  static String one(String sql) throws SQLException {
    List<java.util.Map<String, String>> rows = pg.rows(sql);
    return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
  }

  static String type(String schema, String table, String column) throws SQLException {
    return one("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass('"
        + schema + "." + table + "') AND a.attname = '" + column + "'");
  }

  static boolean exists(String relation) throws SQLException {
    return "t".equals(one("SELECT to_regclass('" + relation.replace("'", "''") + "') IS NOT NULL"));
  }

  @Test
  void alterColumnTypeOnlyLengthensOrShortensAVarcharOutsideATransaction() throws Exception {
    run("CREATE SCHEMA rr_alter", "CREATE TABLE rr_alter.t (v VARCHAR(10), n INTEGER, d VARCHAR(10) DEFAULT 'x', "
        + "w VARCHAR(20), c CHAR(10))");
    run("ALTER TABLE rr_alter.t ALTER COLUMN v TYPE VARCHAR(20)");
    assertThat(type("rr_alter", "t", "v")).isEqualTo("character varying(20)");

    try (Connection c = redshift.getConnection()) {
      c.setAutoCommit(false);
      refused(c, "ALTER TABLE rr_alter.t ALTER COLUMN v TYPE VARCHAR(30)", "cannot run inside a transaction block");
      c.rollback();
      c.setAutoCommit(true);
      refused(c, "BEGIN; ALTER TABLE rr_alter.t ALTER COLUMN v TYPE VARCHAR(30)", "cannot run inside a transaction block");
    }
    refused("ALTER TABLE rr_alter.t ALTER COLUMN v TYPE VARCHAR(30) USING v::VARCHAR(30)", "takes no USING clause");
    refused("ALTER TABLE rr_alter.t ALTER COLUMN n TYPE BIGINT", "only changes the length of a VARCHAR column");
    refused("ALTER TABLE rr_alter.t ALTER COLUMN c TYPE VARCHAR(20)", "only changes the length of a VARCHAR column");
    refused("ALTER TABLE rr_alter.t ALTER COLUMN d TYPE VARCHAR(30)", "has a default value");
    assertThat(type("rr_alter", "t", "v")).isEqualTo("character varying(20)");
    assertThat(type("rr_alter", "t", "n")).isEqualTo("integer");
    assertThat(type("rr_alter", "t", "d")).isEqualTo("character varying(10)");

    // Six characters, twelve bytes: PostgreSQL would make VARCHAR(10) of it, Redshift counts bytes.
    run("INSERT INTO rr_alter.t (w) VALUES ('éééééé')");
    refused("ALTER TABLE rr_alter.t ALTER COLUMN w TYPE VARCHAR(10)", "shorter than the longest value");
    assertThat(type("rr_alter", "t", "w")).isEqualTo("character varying(20)");
    run("ALTER TABLE rr_alter.t ALTER COLUMN w TYPE VARCHAR(12)");
    assertThat(type("rr_alter", "t", "w")).isEqualTo("character varying(12)");
    run("ALTER TABLE \"rr_alter\".\"t\" ALTER COLUMN \"w\" TYPE CHARACTER VARYING(14)");
    assertThat(type("rr_alter", "t", "w")).isEqualTo("character varying(14)");
  }

  @Test
  void alterTableTakesOneAction() throws Exception {
    run("CREATE SCHEMA rr_actions", "CREATE TABLE rr_actions.t (a INTEGER, x INTEGER)");
    refused("ALTER TABLE rr_actions.t ADD COLUMN b INTEGER, ADD COLUMN c INTEGER", "one action per statement");
    refused("ALTER TABLE rr_actions.t ADD COLUMN b INTEGER, DROP COLUMN x", "one action per statement");
    refused("ALTER TABLE rr_actions.t ADD COLUMN b VARCHAR(10) PRIMARY KEY", "cannot declare PRIMARY KEY");
    refused("ALTER TABLE rr_actions.t ADD COLUMN b TEXT", "VARCHAR(256)");
    refused("ALTER TABLE rr_actions.t ALTER COLUMN a SET NOT NULL", "ALTER COLUMN takes only TYPE");
    refused("ALTER TABLE rr_actions.t ALTER a SET DEFAULT 1", "ALTER COLUMN takes only TYPE");
    assertThat(one("SELECT is_nullable || COALESCE(column_default, '-') FROM information_schema.columns "
        + "WHERE table_schema = 'rr_actions' AND column_name = 'a'")).isEqualTo("YES-");
    assertThat(type("rr_actions", "t", "b")).isNull();
    assertThat(type("rr_actions", "t", "x")).isEqualTo("integer");
    run("ALTER TABLE rr_actions.t ADD COLUMN b INTEGER", "ALTER TABLE rr_actions.t DROP COLUMN x");
    assertThat(type("rr_actions", "t", "b")).isEqualTo("integer");
    assertThat(type("rr_actions", "t", "x")).isNull();
  }

  @Test
  void lockTakesNoMode() throws Exception {
    run("CREATE SCHEMA rr_lock", "CREATE TABLE rr_lock.t (a INTEGER)");
    try (Connection c = redshift.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      refused(c, "LOCK TABLE rr_lock.t IN SHARE MODE", "LOCK takes no lock mode");
      refused(c, "LOCK rr_lock.t NOWAIT", "LOCK takes no lock mode");
      assertThat(locks("t")).isEmpty();
      s.execute("LOCK TABLE rr_lock.t");
      assertThat(locks("t")).containsExactly("AccessExclusiveLock");
      c.rollback();
      s.execute("LOCK rr_lock.t");
      assertThat(locks("t")).containsExactly("AccessExclusiveLock");
      c.rollback();
    }
  }

  private static List<String> locks(String table) throws SQLException {
    return pg.rows("SELECT l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n "
        + "ON n.oid = c.relnamespace WHERE n.nspname = 'rr_lock' AND c.relname = '" + table + "'").stream()
        .map(r -> r.get("mode")).toList();
  }

  @Test
  void truncateOfOneTableOutsideATransaction() throws Exception {
    run("CREATE SCHEMA rr_truncate", "CREATE TABLE rr_truncate.t (a INTEGER)", "CREATE TABLE rr_truncate.u (a INTEGER)",
        "INSERT INTO rr_truncate.t VALUES (1)");
    try (Connection c = redshift.getConnection()) {
      c.setAutoCommit(false);
      refused(c, "TRUNCATE rr_truncate.t", "commits the transaction implicitly");
      c.rollback();
    }
    refused("TRUNCATE rr_truncate.t, rr_truncate.u", "exactly one table");
    refused("TRUNCATE rr_truncate.t CASCADE", "exactly one table");
    assertThat(one("SELECT COUNT(*) FROM rr_truncate.t")).isEqualTo("1");
    run("TRUNCATE TABLE rr_truncate.t");
    assertThat(one("SELECT COUNT(*) FROM rr_truncate.t")).isEqualTo("0");
  }

  static Stream<Arguments> refusedEverywhere() {
    return Stream.of(
        Arguments.of("CREATE INDEX rr_idx ON rr_feat.t (v)", "no CREATE INDEX", "rr_feat.rr_idx"),
        Arguments.of("CREATE UNIQUE INDEX rr_uidx ON rr_feat.t (v)", "no CREATE INDEX", "rr_feat.rr_uidx"),
        Arguments.of("CREATE SEQUENCE rr_feat.seq", "sequences", "rr_feat.seq"),
        Arguments.of("SELECT nextval('rr_feat.seq')", "sequences", null),
        Arguments.of("CREATE TABLE rr_feat.s1 (id SERIAL)", "SERIAL, BIGSERIAL and SMALLSERIAL", "rr_feat.s1"),
        Arguments.of("CREATE TABLE rr_feat.s2 (id BIGSERIAL)", "SERIAL, BIGSERIAL and SMALLSERIAL", "rr_feat.s2"),
        Arguments.of("CREATE TABLE rr_feat.s3 (id SMALLSERIAL)", "SERIAL, BIGSERIAL and SMALLSERIAL", "rr_feat.s3"),
        Arguments.of("INSERT INTO rr_feat.t (v) VALUES ('new') ON CONFLICT DO NOTHING", "ON CONFLICT", null),
        Arguments.of("INSERT INTO rr_feat.t (v) VALUES ('new') RETURNING v", "RETURNING", null),
        Arguments.of("UPDATE rr_feat.t SET v = 'new' RETURNING v", "RETURNING", null),
        Arguments.of("DELETE FROM rr_feat.t RETURNING v", "RETURNING", null),
        Arguments.of("SELECT v FROM rr_feat.t FOR UPDATE", "FOR UPDATE / FOR SHARE", null),
        Arguments.of("SELECT v FROM rr_feat.t FOR SHARE", "FOR UPDATE / FOR SHARE", null),
        Arguments.of("SELECT pg_advisory_lock(42)", "advisory lock functions", null),
        Arguments.of("SELECT pg_try_advisory_xact_lock(42)", "advisory lock functions", null),
        Arguments.of("SELECT DISTINCT ON (v) v FROM rr_feat.t", "DISTINCT ON", null),
        Arguments.of("LISTEN rr_channel", "LISTEN, NOTIFY and UNLISTEN", null),
        Arguments.of("NOTIFY rr_channel, 'x'", "LISTEN, NOTIFY and UNLISTEN", null),
        Arguments.of("SELECT pg_notify('rr_channel', 'x')", "LISTEN, NOTIFY and UNLISTEN", null),
        Arguments.of("CREATE EXTENSION IF NOT EXISTS pg_trgm", "CREATE EXTENSION", null),
        Arguments.of("SELECT string_agg(v, ',') FROM rr_feat.t", "function Redshift does not have [string_agg()]", null),
        Arguments.of("SELECT array_agg(v) FROM rr_feat.t", "function Redshift does not have [array_agg()]", null),
        Arguments.of("SELECT g FROM generate_series(1, 3) g JOIN rr_feat.t ON true", "[generate_series()]", null),
        Arguments.of("SELECT COUNT(*) FILTER (WHERE v = 'a') FROM rr_feat.t", "FILTER (WHERE ...)", null),
        Arguments.of("SELECT v IS DISTINCT FROM 'a' FROM rr_feat.t", "IS [NOT] DISTINCT FROM", null),
        Arguments.of("SELECT v FROM rr_feat.t WHERE v IS NOT DISTINCT FROM 'a'", "IS [NOT] DISTINCT FROM", null),
        Arguments.of("SELECT now(), v FROM rr_feat.t", "leader-node-only date function", null),
        Arguments.of("SELECT v::jsonb FROM rr_feat.t", "data type Redshift does not have [jsonb]", null),
        Arguments.of("SELECT CAST(v AS uuid) FROM rr_feat.t", "data type Redshift does not have [uuid]", null),
        Arguments.of("SELECT v FROM rr_feat.t JOIN (VALUES ('a'), ('b')) x (w) ON v = w", "VALUES list", null),
        Arguments.of("SELECT ARRAY[1, 2]", "arrays", null),
        Arguments.of("CREATE TABLE rr_feat.c1 (a INTEGER CHECK (a > 0))", "CHECK and EXCLUDE", "rr_feat.c1"),
        Arguments.of("CREATE TABLE rr_feat.c2 (a INTEGER, CONSTRAINT positive CHECK (a > 0))", "CHECK and EXCLUDE",
            "rr_feat.c2"),
        Arguments.of("CREATE UNLOGGED TABLE rr_feat.u1 (a INTEGER)", "UNLOGGED", "rr_feat.u1"),
        Arguments.of("CREATE TABLE rr_feat.i1 (b INTEGER) INHERITS (rr_feat.t)", "inheritance", "rr_feat.i1"),
        Arguments.of("CREATE TYPE rr_feat.mood AS ENUM ('a', 'b')", "command Redshift does not have", null),
        Arguments.of("SAVEPOINT rr_point", "savepoints", null),
        Arguments.of("ANALYZE rr_feat.t, rr_feat.t", "ANALYZE takes at most one table", null),
        Arguments.of("SELECT 'it\\' FROM rr_feat.t", "never closes as Redshift reads it", null));
  }

  @ParameterizedTest
  @MethodSource("refusedEverywhere")
  void postgresOnlyFeaturesAreRefusedAndNotRun(String sql, String rule, String notCreated) throws Exception {
    run("CREATE SCHEMA IF NOT EXISTS rr_feat", "CREATE TABLE IF NOT EXISTS rr_feat.t (v VARCHAR(10))");
    try (Connection c = redshift.getConnection()) {
      c.setAutoCommit(false);
      refused(c, sql, rule);
      // Nothing failed in PostgreSQL: the transaction goes on.
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM rr_feat.t")) {
        r.next();
        assertThat(r.getLong(1)).isZero();
      }
      c.commit();
    }
    if (notCreated != null) {
      assertThat(exists(notCreated)).as("%s not created", notCreated).isFalse();
    }
    assertThat(one("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo("0");
    assertThat(one("SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'")).isEqualTo("0");
  }

  @Test
  void nearMissesPass() throws Exception {
    run("CREATE SCHEMA rr_near", "CREATE TABLE rr_near.t (v VARCHAR(40), \"returning\" INTEGER, \"for\" VARCHAR(10))");
    run("INSERT INTO rr_near.t (v) VALUES ('ON CONFLICT DO NOTHING')",
        "INSERT INTO rr_near.t (v, \"for\") VALUES ('a -- FOR UPDATE', 'update'), ('string_agg(x)', 'share')",
        "INSERT INTO rr_near.t (v) SELECT 'RETURNING ' || v FROM rr_near.t WHERE v LIKE 'a!_%' ESCAPE '!'",
        "/* CREATE INDEX x ON y (z) */ SELECT \"returning\", \"for\" FROM rr_near.t -- FOR UPDATE",
        "SELECT DISTINCT v FROM rr_near.t ORDER BY 1 LIMIT 2",
        "SELECT 'x'::text, CAST(v AS VARCHAR(50)), COALESCE(\"returning\", -1) FROM rr_near.t",
        "SELECT $$pg_advisory_lock(1)$$, E'it\\'s', 'it''s'",
        "SELECT now()",
        "SELECT array_to_string(nspacl, ',') FROM pg_namespace WHERE nspname = 'rr_near'",
        "SET statement_timeout TO 60000", "SET search_path TO rr_near, public", "SET TIME ZONE 'UTC'",
        "SET timezone = 'UTC'", "SET datestyle TO 'ISO, MDY'", "SET extra_float_digits TO 2",
        "RESET statement_timeout", "RESET ALL", "ANALYZE rr_near.t",
        "GRANT SELECT ON ALL TABLES IN SCHEMA rr_near TO GROUP postgres",
        "COMMENT ON COLUMN rr_near.t.v IS 'a '' \\\\ comment'");
    assertThat(one("SELECT COUNT(*) FROM rr_near.t")).isEqualTo("3");
    assertThat(one("SELECT v FROM rr_near.t WHERE \"for\" = 'update'")).isEqualTo("a -- FOR UPDATE");
  }

  @Test
  void identifiersUpTo127BytesOfUtf8() throws Exception {
    run("CREATE SCHEMA rr_names");
    String twoByte127 = "é".repeat(63) + "a";
    String twoByte128 = "é".repeat(64);
    String fourByte127 = "a".repeat(123) + "🙂";
    String fourByte128 = "a".repeat(124) + "🙂";
    assertThat(twoByte127.getBytes(StandardCharsets.UTF_8)).hasSize(127);
    assertThat(fourByte128.getBytes(StandardCharsets.UTF_8)).hasSize(128);
    run("CREATE TABLE rr_names.ok1 (\"" + twoByte127 + "\" INTEGER)", "CREATE TABLE rr_names.ok2 (\"" + fourByte127
        + "\" INTEGER)", "CREATE TABLE rr_names.ok3 (" + "b".repeat(127) + " INTEGER)");
    refused("CREATE TABLE rr_names.bad1 (\"" + twoByte128 + "\" INTEGER)", "longer than 127 bytes");
    refused("CREATE TABLE rr_names.bad2 (\"" + fourByte128 + "\" INTEGER)", "longer than 127 bytes");
    refused("CREATE TABLE rr_names.bad3 (" + "b".repeat(128) + " INTEGER)", "longer than 127 bytes");
    refused("CREATE TABLE rr_names.bad4 (\"tab\there\" INTEGER)", "control character");
    // A quote inside counts once ("" is one character of the name).
    run("CREATE TABLE rr_names.ok4 (\"" + "q".repeat(125) + "\"\"x\" INTEGER)");
    assertThat(Stream.of("ok1", "ok2", "ok3", "ok4").allMatch(t -> existsUnchecked("rr_names." + t))).isTrue();
    assertThat(Stream.of("bad1", "bad2", "bad3", "bad4").noneMatch(t -> existsUnchecked("rr_names." + t))).isTrue();
  }

  private static boolean existsUnchecked(String relation) {
    try {
      return exists(relation);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void columnTypesAndTheirLimits() throws Exception {
    run("CREATE SCHEMA rr_types");
    run("CREATE TABLE rr_types.ok (a VARCHAR(65535), b CHAR(4096), c NUMERIC(38,37), d DECIMAL(18,2), e VARCHAR, "
        + "f CHARACTER VARYING(10), g TIMESTAMPTZ, h TIMESTAMP WITH TIME ZONE, i DOUBLE PRECISION, j BOOLEAN, "
        + "k BIGINT, l SMALLINT, m REAL, n DATE, o TIME, p INTERVAL DAY TO SECOND, q INTERVAL YEAR TO MONTH)");
    assertThat(type("rr_types", "ok", "c")).isEqualTo("numeric(38,37)");
    String[][] refusedTypes = {
        {"VARCHAR(65536)", "VARCHAR longer than 65,535 bytes"}, {"CHARACTER VARYING(70000)", "VARCHAR longer than"},
        {"CHAR(4097)", "CHAR longer than 4,096 bytes"}, {"NUMERIC(39,0)", "precision over 38 or scale over 37"},
        {"NUMERIC(38,38)", "precision over 38 or scale over 37"}, {"DECIMAL", "NUMERIC(18,0)"},
        {"TEXT", "makes it VARCHAR(256)"}, {"JSON", "[json]"}, {"JSONB", "[jsonb]"}, {"UUID", "[uuid]"},
        {"BYTEA", "[bytea]"}, {"MONEY", "[money]"}, {"INTEGER[]", "arrays"}, {"VARCHAR(10)[]", "arrays"},
        {"INTERVAL", "INTERVAL column without a qualifier"}, {"SERIAL", "SERIAL"}, {"BIT VARYING(5)", "[bit varying]"}};
    for (int i = 0; i < refusedTypes.length; i++) {
      refused("CREATE TABLE rr_types.bad" + i + " (x " + refusedTypes[i][0] + ")", refusedTypes[i][1]);
      assertThat(exists("rr_types.bad" + i)).isFalse();
    }
  }

  @Test
  void setOnlyParametersRedshiftHas() throws Exception {
    try (Connection c = redshift.getConnection(); Statement s = c.createStatement()) {
      refused(c, "SET lock_timeout = '1s'", "parameter Redshift does not have [lock_timeout]");
      refused(c, "SET SESSION idle_in_transaction_session_timeout TO 1000", "[idle_in_transaction_session_timeout]");
      refused(c, "RESET lock_timeout", "[lock_timeout]");
      try (ResultSet r = s.executeQuery("SHOW lock_timeout")) {
        r.next();
        assertThat(r.getString(1)).isEqualTo("0");
      }
      // Redshift's own parameters reach PostgreSQL as redshift.* custom parameters.
      s.execute("SET query_group TO 'observes-test'");
      s.execute("SET wlm_query_slot_count TO 2");
      s.execute("SET enable_result_cache_for_session TO off");
      s.execute("SET analyze_threshold_percent TO 0");
      s.execute("SET enable_case_sensitive_identifier TO true");
      try (ResultSet r = s.executeQuery("SHOW query_group")) {
        r.next();
        assertThat(r.getString(1)).isEqualTo("observes-test");
      }
      s.execute("RESET query_group");
      s.execute("RESET describe_field_name_in_uppercase"); // never set in this session
      s.execute("SET LOCAL statement_timeout = 1000");
    }
  }

  @Test
  void keyConstraintsAreInformationalAsOnRedshift() throws Exception {
    run("CREATE SCHEMA rr_keys",
        "CREATE TABLE rr_keys.parent (id VARCHAR(10) NOT NULL, CONSTRAINT parent_pk PRIMARY KEY (id))",
        "CREATE TABLE rr_keys.child (\"run_id\" VARCHAR(128) NOT NULL PRIMARY KEY, other VARCHAR(10) UNIQUE, "
            + "parent VARCHAR(10) REFERENCES rr_keys.parent (id) ON DELETE CASCADE, \"rows\" BIGINT NOT NULL, "
            + "UNIQUE (other), FOREIGN KEY (parent) REFERENCES rr_keys.parent (id), PRIMARY KEY (\"run_id\", other))",
        "CREATE TABLE rr_keys.lead (PRIMARY KEY (a), CONSTRAINT b_once UNIQUE (b) DEFERRABLE, a INTEGER NOT NULL, b INTEGER)",
        "INSERT INTO rr_keys.lead VALUES (1, 1), (1, 1)");
    run("INSERT INTO rr_keys.parent VALUES ('p')", "INSERT INTO rr_keys.parent VALUES ('p')",
        "INSERT INTO rr_keys.child VALUES ('r', 'o', 'nowhere', 1)", "INSERT INTO rr_keys.child VALUES ('r', 'o', 'nowhere', 1)");
    assertThat(one("SELECT COUNT(*) FROM rr_keys.parent")).isEqualTo("2");
    assertThat(one("SELECT COUNT(*) FROM rr_keys.child")).isEqualTo("2");
    assertThat(one("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'rr_keys'")).isEqualTo("0");
    // NOT NULL, which Redshift enforces, is kept.
    assertThatThrownBy(() -> run("INSERT INTO rr_keys.child (\"run_id\", \"rows\") VALUES (NULL, 1)"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23502"));
  }

  @Test
  void unwrapReachesPostgresAndCopyFromStdinWorks() throws Exception {
    run("CREATE SCHEMA rr_copy", "CREATE TABLE rr_copy.t (a INTEGER, b VARCHAR(10))");
    try (Connection c = redshift.getConnection()) {
      assertThat(Proxy.isProxyClass(c.getClass())).isTrue();
      assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
      long copied = c.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("COPY rr_copy.t (a, b) FROM STDIN WITH (FORMAT csv)", new StringReader("1,x\n2,y\n"));
      assertThat(copied).isEqualTo(2);
      try (Statement s = c.createStatement(); PreparedStatement p = c.prepareStatement("SELECT 1")) {
        assertThat(s.getConnection()).isSameAs(c);
        assertThat(p.getConnection()).isSameAs(c);
        assertThat(s.unwrap(org.postgresql.PGStatement.class)).isNotNull();
      }
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
      assertThatThrownBy(c::setSavepoint).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
      refusedPrepare(c, "SELECT v FROM rr_copy.t FOR UPDATE");
      // PostgreSQL's driver would append RETURNING for generated keys.
      assertThatThrownBy(() -> c.prepareStatement("INSERT INTO rr_copy.t (a) VALUES (3)", Statement.RETURN_GENERATED_KEYS))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("RETURNING"));
      assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO rr_copy.t (a) VALUES (3)", new String[] {"a"}))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
    }
    assertThat(one("SELECT string_agg(b, ',' ORDER BY a) FROM rr_copy.t")).isEqualTo("x,y");
  }

  private static void refusedPrepare(Connection c, String sql) {
    assertThatThrownBy(() -> c.prepareStatement(sql)).isInstanceOfSatisfying(SQLException.class,
        e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
    assertThatThrownBy(() -> c.prepareCall(sql)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> c.nativeSQL(sql)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> c.createStatement().addBatch(sql)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> c.createStatement().executeQuery(sql)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> c.createStatement().executeLargeUpdate(sql)).isInstanceOf(SQLException.class);
  }

  @Test
  void captureWritesEachDistinctStatementOnceWithTheEndMarker(@TempDir Path dir) throws Exception {
    DataSource captured = RedshiftRules.enforcing(pool, StatementCapture.toDirectory(dir));
    DataSource again = RedshiftRules.enforcing(pool, StatementCapture.toDirectory(dir.resolve(".")));
    String multiLine = "SELECT 1 AS one,\n  2 AS two";
    try (Connection c = captured.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      s.execute("SELECT 1");
      s.execute(multiLine);
      try (PreparedStatement p = c.prepareStatement("SELECT ? AS x")) {
        p.setString(1, "bound");
        p.executeQuery().close();
      }
      assertThatThrownBy(() -> s.execute("LOCK TABLE x IN SHARE MODE")).isInstanceOf(SQLException.class);
      s.execute("SET query_group TO 'q'");
    }
    try (Connection c = again.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .matches("redshift-" + ProcessHandle.current().pid() + "-[0-9a-f-]{36}\\.sql");
    assertThat(Files.readString(files.get(0))).isEqualTo(String.join("\n", "SELECT 1", StatementCapture.END_OF_STATEMENT,
        multiLine, StatementCapture.END_OF_STATEMENT, "SELECT ? AS x", StatementCapture.END_OF_STATEMENT,
        "LOCK TABLE x IN SHARE MODE", StatementCapture.END_OF_STATEMENT, "SET query_group TO 'q'",
        StatementCapture.END_OF_STATEMENT, ""));
  }

  @Test
  void captureFromTheSystemProperty(@TempDir Path dir) throws Exception {
    String before = System.getProperty(StatementCapture.PROPERTY);
    System.setProperty(StatementCapture.PROPERTY, dir.toString());
    try {
      StatementCapture capture = StatementCapture.fromSystem();
      assertThat(capture).isNotSameAs(StatementCapture.NONE);
      capture.statement("SELECT 'from the property'");
      try (Stream<Path> list = Files.list(dir)) {
        assertThat(list.toList()).singleElement().satisfies(f ->
            assertThat(Files.readString(f)).isEqualTo("SELECT 'from the property'\n" + StatementCapture.END_OF_STATEMENT + "\n"));
      }
    } finally {
      if (before == null) {
        System.clearProperty(StatementCapture.PROPERTY);
      } else {
        System.setProperty(StatementCapture.PROPERTY, before);
      }
    }
  }

  private static final String[] FRAGMENTS = {"\"", "\"\"", ";", "'", "''", "--", "/*", "*/", "\\", "(", ")", ",", ".",
      "?", "$$", "$1", "::jsonb", "[]", " ", "ON CONFLICT", "RETURNING", "FOR UPDATE", "nextval(", "pg_advisory_lock(",
      "LOCK TABLE x IN SHARE MODE", "SET lock_timeout", "TEXT", "SERIAL", "DISTINCT ON (", "PRIMARY KEY", "CREATE INDEX",
      "TRUNCATE", "BEGIN;", "string_agg(", "VALUES (", "ARRAY[", "FILTER (WHERE", "now()", "E'", "é", "日本語", "🙂", "ß",
      "Ω", "a", "Z", "_", "0"};

  private static String hostile(java.util.Random random, int maxBytes) {
    StringBuilder id = new StringBuilder();
    int parts = 1 + random.nextInt(8);
    for (int i = 0; i < parts; i++) {
      String fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
      if ((id + fragment).getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
        id.append(fragment);
      }
    }
    return id.length() == 0 ? "x" : id.toString();
  }

  private static String q(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Hostile text inside quoted identifiers (and strings) never triggers a rule nor breaks the tokens. */
  @Test
  void hostileQuotedIdentifiersNeverTriggerARule() throws Exception {
    java.util.Random random = new java.util.Random(0x5EED_2024L);
    RedshiftStatementRules.Session autocommit = new RedshiftStatementRules.Session() {
      @Override
      public boolean inTransactionBlock() {
        return false;
      }

      @Override
      public boolean autoCommit() {
        return true;
      }

      @Override
      public Connection connection() {
        return null;
      }
    };
    for (int i = 0; i < 2000; i++) {
      String a = hostile(random, 127);
      String b = hostile(random, 127);
      String literal = "'" + b.replace("\\", "\\\\").replace("'", "''") + "'";
      List<String> statements = List.of(
          "SELECT " + q(a) + ", " + q(b) + " FROM \"rr_fuzz\"." + q(a) + " WHERE " + q(b) + " = ? AND " + q(a) + " <> "
              + literal,
          "CREATE TABLE \"rr_fuzz\"." + q(a) + " (" + q(b) + " VARCHAR(10) NOT NULL, " + q(a) + " INTEGER)",
          "ALTER TABLE \"rr_fuzz\"." + q(a) + " ADD COLUMN " + q(b) + " VARCHAR(5)",
          "COMMENT ON COLUMN \"rr_fuzz\"." + q(a) + "." + q(b) + " IS " + literal);
      for (String sql : statements) {
        assertThat(RedshiftStatementRules.check(sql, autocommit)).as("seed 0x5EED_2024, round %d", i).isEqualTo(sql);
        List<SqlTokens.Token> tokens = SqlTokens.tokenize(sql);
        assertThat(SqlTokens.statements(tokens)).hasSize(1);
        assertThat(tokens).noneMatch(SqlTokens.Token::open);
        List<String> quoted = tokens.stream().filter(t -> t.kind() == SqlTokens.Kind.QUOTED).map(SqlTokens.Token::value)
            .toList();
        assertThat(quoted).as(sql).contains(a, b).allMatch(v -> v.equals(a) || v.equals(b) || v.equals("rr_fuzz"));
        assertThat(tokens.stream().filter(t -> t.kind() == SqlTokens.Kind.STRING).map(SqlTokens.Token::value))
            .allMatch(b::equals);
      }
    }
    // And PostgreSQL, behind the rules, creates exactly those columns (63 bytes: PostgreSQL's own limit).
    run("CREATE SCHEMA rr_fuzz");
    for (int i = 0; i < 40; i++) {
      String a = hostile(random, 63);
      String b = hostile(random, 63);
      if (a.equals(b)) {
        continue;
      }
      String table = "\"rr_fuzz\".\"t" + i + "\"";
      run("CREATE TABLE " + table + " (" + q(a) + " VARCHAR(10) NOT NULL, " + q(b) + " INTEGER)");
      try (Connection c = redshift.getConnection();
          PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + q(a) + ", " + q(b) + ") VALUES (?, ?)");
          PreparedStatement select = c.prepareStatement("SELECT " + q(a) + " FROM " + table + " WHERE " + q(b) + " = ?")) {
        insert.setString(1, "v" + i);
        insert.setInt(2, i);
        insert.executeUpdate();
        select.setInt(1, i);
        try (ResultSet r = select.executeQuery()) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).isEqualTo("v" + i);
        }
      }
      try (Connection c = pg.connect(); PreparedStatement names = c.prepareStatement("SELECT column_name FROM "
          + "information_schema.columns WHERE table_schema = 'rr_fuzz' AND table_name = ? ORDER BY ordinal_position")) {
        names.setString(1, "t" + i);
        List<String> columns = new ArrayList<>();
        try (ResultSet r = names.executeQuery()) {
          while (r.next()) {
            columns.add(r.getString(1));
          }
        }
        assertThat(columns).containsExactly(a, b);
      }
    }
  }

  /**
   * SERIALIZABLE leaves Observes's concurrency usable: Batch nodes creating the run log together and
   * writing their rows and heartbeats at once all succeed (conflicts are retried).
   */
  @Test
  void concurrentRunLogWritesSucceedAtSerializable() throws Exception {
    List<RedshiftClient> clients = new ArrayList<>();
    List<HikariDataSource> pools = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(pg.jdbcUrl());
      config.setUsername("postgres");
      config.setMaximumPoolSize(2);
      HikariDataSource p = new HikariDataSource(config);
      pools.add(p);
      clients.add(RedshiftClient.rehearsal(p, p, null, List.of(), StatementCapture.NONE));
    }
    try {
      for (int round = 0; round < 5; round++) {
        pg.execute("DROP SCHEMA IF EXISTS observes_meta CASCADE");
        int r = round;
        together(clients, (client, node) -> {
          client.runLog().ensure();
          RunEntry entry = new RunEntry("job", "run-" + r, "load", node, Instant.parse("2024-01-01T00:00:00Z"));
          client.runLog().recordRunStart(entry);
          client.runLog().recordHeartbeat(entry, Instant.parse("2024-01-01T00:01:00Z"));
          client.runLog().recordRunEnd(entry, Instant.parse("2024-01-01T00:02:00Z"), "SUCCEEDED", null);
        });
        assertThat(pg.rows("SELECT status FROM observes_meta.runs")).hasSize(clients.size())
            .allSatisfy(row -> assertThat(row.get("status")).isEqualTo("SUCCEEDED"));
      }
    } finally {
      clients.forEach(RedshiftClient::close);
    }
  }

  interface NodeWork {
    void run(RedshiftClient client, int node) throws Exception;
  }

  private static void together(List<RedshiftClient> clients, NodeWork work) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(clients.size());
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      int node = i;
      Thread t = new Thread(() -> {
        try {
          barrier.await();
          work.run(clients.get(node), node);
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(errors).isEmpty();
  }

  /** {@code real} whose connections record each SQL text they are given, in {@link #reached}. */
  static DataSource recording(DataSource real) {
    return (DataSource) Proxy.newProxyInstance(RedshiftRulesTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          return result instanceof Connection c ? recordingConnection(c) : result;
        });
  }

  private static Connection recordingConnection(Connection real) {
    return (Connection) Proxy.newProxyInstance(RedshiftRulesTest.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (args != null && args.length > 0 && args[0] instanceof String sql && method.getName().startsWith("prepare")) {
            reached.add(sql);
          }
          Object result = invoke(real, method, args);
          if (result instanceof Statement s && method.getName().equals("createStatement")) {
            return Proxy.newProxyInstance(RedshiftRulesTest.class.getClassLoader(), new Class<?>[] {Statement.class},
                (p, m, a) -> {
                  if (a != null && a.length > 0 && a[0] instanceof String sql) {
                    reached.add(sql);
                  }
                  return invoke(s, m, a);
                });
          }
          return result;
        });
  }

  private static Object invoke(Object real, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
