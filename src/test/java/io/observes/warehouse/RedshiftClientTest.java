package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class RedshiftClientTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/x";

  /** Never connects: the SQL text under test is built without a connection. */
  static final class NoDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw new SQLException("no database in this test");
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLException("no database in this test");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  private static RedshiftClient client(String role, String queryGroup) {
    return new RedshiftClient(new NoDataSource(), null, role, queryGroup);
  }

  private static TableLoad load(String table, String manifest, String... files) {
    return load(Compression.ZSTD, table, manifest, files);
  }

  private static TableLoad load(Compression compression, String table, String manifest, String... files) {
    List<TableLoad.StagedFile> staged = files.length == 0
        ? List.of(new TableLoad.StagedFile("s3://bucket/key/part-0" + compression.suffix(), 3))
        : java.util.Arrays.stream(files).map(f -> new TableLoad.StagedFile(f, 1)).toList();
    return new TableLoad(table, "run-1", new SegmentInputs(new java.util.TreeMap<>(java.util.Map.of(0, "m-1"))), 3,
        List.of(new TableLoad.CopyGroup(List.of("_observes_id", "col"), compression, staged, manifest)),
        uri -> new ByteArrayInputStream(new byte[0]));
  }

  private static String copySql(RedshiftClient client, String schema, TableLoad load) {
    return client.copySql(schema, load, load.groups().get(0));
  }

  @Test
  void copySqlNamesTableColumnsManifestRoleAndFormat() {
    String sql = copySql(client(ROLE, "dynamo_etl"), "schema", load("table", "s3://bucket/key/copy.manifest"));
    assertThat(sql).startsWith("COPY ");
    assertThat(sql).contains("COPY \"schema\".\"table\" (\"_observes_id\", \"col\")");
    assertThat(sql).contains("FROM 's3://bucket/key/copy.manifest'");
    assertThat(sql).contains("IAM_ROLE 'arn:aws:iam::123456789012:role/x'");
    assertThat(sql).contains(" MANIFEST FORMAT AS CSV ZSTD ").doesNotContain("GZIP");
    // Redshift's documented marker for "a field that contains only NUL", exactly as documented.
    assertThat(sql).contains(" NULL AS '\\000' ");
    assertThat(sql).doesNotContain("\\N");
    assertThat(sql.indexOf("FROM")).isLessThan(sql.indexOf("IAM_ROLE"));
  }

  @Test
  void filesStagedAsGzipBeforeZstdAreCopiedWithGzip() {
    String sql = copySql(client(ROLE, null), "s", load(Compression.GZIP, "t", "s3://bucket/key/copy.manifest"));
    assertThat(sql).contains(" MANIFEST FORMAT AS CSV GZIP ").doesNotContain("ZSTD");
  }

  @Test
  void copySqlQuotesIdentifiersAndLiterals() {
    String sql = copySql(client(ROLE, null), "my\"schema", load("ta\"ble", "s3://bucket/it's\\here/copy.manifest"));
    assertThat(sql).contains("\"my\"\"schema\".\"ta\"\"ble\"");
    assertThat(sql).contains("FROM 's3://bucket/it''s\\\\here/copy.manifest'");
  }

  @Test
  void copyNamesTheDataBucketsRegionWhenConfiguredAndRefusesWhatIsNoRegion() {
    TableLoad load = load("table", "s3://bucket/key/copy.manifest");
    assertThat(copySql(client(ROLE, null), "s", load)).doesNotContain("REGION");
    RedshiftClient inRegion = new RedshiftClient(new NoDataSource(), null, ROLE, null, "eu-west-1", List.of());
    assertThat(copySql(inRegion, "s", load)).contains(" IAM_ROLE 'arn:aws:iam::123456789012:role/x' REGION 'eu-west-1' ");
    for (String region : List.of("us-gov-west-1", "ap-southeast-2", "eu-central-2")) {
      assertThat(copySql(new RedshiftClient(new NoDataSource(), null, ROLE, null, region, List.of()), "s", load))
          .contains("REGION '" + region + "'");
    }
    for (String bad : List.of("", "EU-WEST-1", "eu-west", "eu-west-1'; DROP TABLE t; --", "eu west 1")) {
      assertThatThrownBy(() -> new RedshiftClient(new NoDataSource(), null, ROLE, null, bad, List.of())).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OBSERVES_REDSHIFT_REGION");
    }
  }

  @Test
  void everyTargetHasItsOwnLockTableNamedWithinTheIdentifierLimit() {
    assertThat(TargetLocks.name("gitlab_ci_loading", Dialect.REDSHIFT)).isEqualTo("lock_gitlab_ci_loading");
    String longest = "s".repeat(127 - "_loading".length()) + "_loading";
    for (Dialect dialect : List.of(Dialect.REDSHIFT, Dialect.POSTGRESQL, Dialect.REDSHIFT_REHEARSAL)) {
      String a = TargetLocks.name(longest, dialect);
      String b = TargetLocks.name(longest.replaceFirst("s", "t"), dialect);
      assertThat(Utf8Text.bytes(a)).isLessThanOrEqualTo(dialect.maxIdentifierBytes());
      assertThat(a).startsWith("lock_").isNotEqualTo(b);
      assertThat(TargetLocks.name("é".repeat(40), dialect)).satisfies(n -> assertThat(Utf8Text.bytes(n))
          .isLessThanOrEqualTo(dialect.maxIdentifierBytes()));
    }
  }

  @Test
  void queryGroup() {
    assertThat(client(ROLE, "dynamo_etl").queryGroupSql()).isEqualTo("SET query_group TO 'dynamo_etl'");
    assertThat(client(ROLE, null).queryGroupSql()).isNull();
    for (String bad : List.of("", "x'; DROP TABLE t; --", "has space", "a".repeat(65), "dynamo\\etl")) {
      assertThatThrownBy(() -> client(ROLE, bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("QUERY_GROUP");
    }
  }

  @Test
  void iamRoleMustBeAnArn() {
    for (String bad : List.of("", "x", "arn:aws:iam::123:role/x", "arn:aws:iam::123456789012:user/x",
        "arn:aws:iam::123456789012:role/x' CREDENTIALS 'y")) {
      assertThatThrownBy(() -> client(bad, "g")).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("IAM role");
    }
    assertThat(client("arn:aws-us-gov:iam::123456789012:role/path/etl-role", null)).isNotNull();
  }

  @Test
  void quotedDoublesQuotesAndRejectsEmptyNames() {
    RedshiftClient c = client(ROLE, null);
    assertThat(c.quoted("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(c.quoted("select")).isEqualTo("\"select\"");
    assertThat(c.quoted("x\"; DROP TABLE y; --")).isEqualTo("\"x\"\"; DROP TABLE y; --\"");
    assertThatThrownBy(() -> c.quoted("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.quoted("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalsDoubleQuotesAndBackslashes() {
    RedshiftClient c = client(ROLE, null);
    assertThat(c.literal("it's")).isEqualTo("'it''s'");
    assertThat(c.literal("a\\b")).isEqualTo("'a\\\\b'");
    assertThat(c.literal("\\'")).isEqualTo("'\\\\'''");
    assertThatThrownBy(() -> c.literal("a\u0000")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void redshiftWidensOnlyTextAndOutsideATransaction() {
    RedshiftClient client = client(ROLE, null);
    assertThat(client.typeChangesInTransaction()).isFalse();
    assertThat(client.widenColumnSql("\"s\".\"t\"", "note", io.observes.warehouse.ColumnType.varcharExactly(16),
        io.observes.warehouse.ColumnType.varcharExactly(64)))
        .contains("ALTER TABLE \"s\".\"t\" ALTER COLUMN \"note\" TYPE VARCHAR(64)");
    assertThat(client.widenColumnSql("\"s\".\"t\"", "n", io.observes.warehouse.ColumnType.INTEGER,
        io.observes.warehouse.ColumnType.BIGINT)).isEmpty();
    assertThat(client.widenColumnSql("\"s\".\"t\"", "note", io.observes.warehouse.ColumnType.varcharExactly(64),
        io.observes.warehouse.ColumnType.varcharExactly(16))).isEmpty();
  }

  @Test
  void typeSqlCreatesUnknownAsVarchar() {
    RedshiftClient c = client(ROLE, null);
    assertThat(c.typeSql(io.observes.warehouse.ColumnType.UNKNOWN)).isEqualTo("VARCHAR(16)");
    assertThat(c.typeSql(io.observes.warehouse.ColumnType.numeric(21, 2))).isEqualTo("NUMERIC(21,2)");
    assertThat(c.typeSql(io.observes.warehouse.ColumnType.DOUBLE)).isEqualTo("DOUBLE PRECISION");
  }

  @Test
  void loadErrorsAreReadForThisSessionsFilesOnlyFromColumnsThatExist() {
    // SYS_LOAD_ERROR_DETAIL has no raw value column; STL_LOAD_ERRORS is filtered the same way.
    assertThat(RedshiftClient.SYS_LOAD_ERROR_DETAIL).doesNotContain("column_value").contains("session_id = ?")
        .contains("file_name) LIKE ? ESCAPE '!'").contains("error_message");
    assertThat(RedshiftClient.STL_LOAD_ERRORS).contains("session = ?").contains("filename) LIKE ? ESCAPE '!'")
        .doesNotContain("pg_last_copy_id");
    TableLoad load = load("t", "s3://data/m", "s3://data/dynamodb/run_1/segment=3/_rejected_0badc0de/part-0.csv.zst",
        "s3://data/dynamodb/run_1/segment=7/_rejected_0badc0de/part-0.csv.zst");
    // '_' and '%' in keys are literal, not wildcards: another run's or table's files never match.
    assertThat(RedshiftClient.filesPattern(load))
        .isEqualTo("s3://data/dynamodb/run!_1/%/!_rejected!_0badc0de/%");
    TableLoad longKey = load("t", "s3://data/m", "s3://data/" + "k".repeat(300) + "/segment=0/t/part-0.csv.zst");
    // The system views keep 256 characters of a file name.
    assertThat(RedshiftClient.filesPattern(longKey)).hasSize(257).endsWith("k%");
  }

  @Test
  void concurrencyConflictsAreRetriedOtherErrorsAreNot() {
    RedshiftClient c = client(ROLE, null);
    assertThat(c.isConflict(new SQLException("ERROR: 1023 DETAIL: Serializable isolation violation on table - 12345, "
        + "transactions forming the cycle are: 1, 2", "XX000"))).isTrue();
    assertThat(c.isConflict(new SQLException("ERROR: could not complete because of conflict with concurrent transaction",
        "XX000"))).isTrue();
    assertThat(c.isConflict(new SQLException("deadlock detected", "40P01"))).isTrue();
    assertThat(c.isConflict(new SQLException("ERROR: Load into table 't' failed. Check 'stl_load_errors'", "XX000")))
        .isFalse();
    assertThat(c.isConflict(new SQLException("permission denied for schema x", "42501"))).isFalse();
  }

  @Test
  void theDialectKeeps127ByteNamesAndStagesNullAsNul() {
    Dialect d = client(ROLE, null).dialect();
    assertThat(d.maxIdentifierBytes()).isEqualTo(127);
    assertThat(d.nullMarkerBytes()).containsExactly(0);
    assertThat(d.systemColumns()).contains("oid", "xmin", "ctid", "insertxid", "deletexid");
    assertThat(d.maxColumns()).isEqualTo(1600);
    assertThat(d.maxRowBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(d.maxCommentBytes()).isEqualTo(256);
  }
}
