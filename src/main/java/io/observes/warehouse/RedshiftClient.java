package io.observes.warehouse;

import io.observes.warehouse.rehearsal.RedshiftRules;
import io.observes.warehouse.rehearsal.StatementCapture;
import io.observes.warehouse.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Redshift: one {@code COPY ... FROM 's3://.../copy.manifest' MANIFEST IAM_ROLE ... CSV ZSTD} per
 * table, column list and compression (GZIP for runs staged before zstd), the session in a WLM query group, and a failed COPY explained from
 * {@code STL_LOAD_ERRORS} (provisioned) or {@code SYS_LOAD_ERROR_DETAIL} (serverless), read on a
 * fresh connection and only for this session's files. Redshift does not enforce primary keys and its
 * LOCK has one (exclusive) mode: a load holds its target's lock ({@link TargetLocks}) alone.
 *
 * <p>{@link #rehearsal} is this same class on PostgreSQL behind {@link RedshiftRules}, which refuses
 * what Redshift refuses: only the COPY's transport (the manifest's files streamed through
 * {@code COPY FROM STDIN}) and the query group differ from production.
 */
public final class RedshiftClient extends BaseWarehouseClient {
  private static final Pattern QUERY_GROUP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+");
  /** An AWS Region code, e.g. us-east-1, ap-southeast-2, us-gov-west-1. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  /** The role the rehearsal's COPY text names; the rehearsal never sends it anywhere. */
  private static final String REHEARSAL_ROLE = "arn:aws:iam::000000000000:role/observes-rehearsal";

  /**
   * Redshift documents {@code NULL AS '\0'} / {@code '\000'} for "a field that contains only NUL";
   * written here exactly as documented, not through {@link #literal}, whose escaping would change it.
   */
  static final String NULL_AS = "NULL AS '\\000'";

  /** STL_LOAD_ERRORS.filename and SYS_LOAD_ERROR_DETAIL.file_name are CHAR(256). */
  private static final int FILE_NAME_CHARS = 256;

  private final String iamRole;
  private final String queryGroup;
  private final String region;
  /** Non-null in the rehearsal: where the COPY production would send is recorded, for the syntax check. */
  private final StatementCapture rehearsal;

  public RedshiftClient(DataSource dataSource, AutoCloseable pool, String iamRole, String queryGroup) {
    this(dataSource, pool, iamRole, queryGroup, null, List.of());
  }

  public RedshiftClient(DataSource dataSource, AutoCloseable pool, String iamRole, String queryGroup, String region,
      List<String> readers) {
    this(dataSource, pool, iamRole, queryGroup, region, readers, null);
    check(iamRole, queryGroup, region);
  }

  private RedshiftClient(DataSource dataSource, AutoCloseable pool, String iamRole, String queryGroup, String region,
      List<String> readers, StatementCapture rehearsal) {
    super(dataSource, pool, readers);
    this.iamRole = iamRole;
    this.queryGroup = queryGroup;
    this.region = region;
    this.rehearsal = rehearsal;
  }

  /**
   * The rehearsal: Redshift's dialect on a PostgreSQL database, every statement checked by
   * {@link RedshiftRules} (and handed to {@code capture}), COPY streamed from the staged files.
   */
  public static RedshiftClient rehearsal(DataSource postgres, AutoCloseable pool, String region, List<String> readers,
      StatementCapture capture) {
    checkOptions(null, region);
    return new RedshiftClient(RedshiftRules.enforcing(postgres, capture), pool, REHEARSAL_ROLE, null, region, readers,
        capture);
  }

  /** Throws, saying what to set, unless the role, query group and region are ones Redshift takes. */
  public static void check(String iamRole, String queryGroup, String region) {
    check(iamRole, queryGroup);
    checkRegion(region);
  }

  /**
   * Throws, saying what to set, unless the query group and region are ones Redshift takes: the
   * settings a rehearsal honours (it needs no IAM role, COPY never leaving the machine).
   */
  public static void checkOptions(String queryGroup, String region) {
    checkQueryGroup(queryGroup);
    checkRegion(region);
  }

  private static void checkRegion(String region) {
    if (region != null && !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("OBSERVES_REDSHIFT_REGION must be the AWS Region of the data bucket, such as "
          + "us-east-1 (COPY's REGION), was '" + region + "'");
    }
  }

  /** Throws, saying what to set, unless the role and query group are ones Redshift takes. */
  public static void check(String iamRole, String queryGroup) {
    if (iamRole == null) {
      throw new IllegalArgumentException("a Redshift warehouse needs OBSERVES_REDSHIFT_IAM_ROLE: the IAM role ARN "
          + "(arn:aws:iam::<account>:role/<name>) that COPY assumes to read the staged files");
    }
    if (!ROLE.matcher(iamRole).matches()) {
      throw new IllegalArgumentException("OBSERVES_REDSHIFT_IAM_ROLE must be an IAM role ARN "
          + "(arn:aws:iam::<account>:role/<name>) that Redshift assumes to read the staged files");
    }
    checkQueryGroup(queryGroup);
  }

  private static void checkQueryGroup(String queryGroup) {
    if (queryGroup != null && !QUERY_GROUP.matcher(queryGroup).matches()) {
      throw new IllegalArgumentException("OBSERVES_REDSHIFT_QUERY_GROUP must be 1-64 of [A-Za-z0-9_.-], was '"
          + queryGroup + "'");
    }
  }

  @Override
  public Dialect dialect() {
    return rehearsal == null ? Dialect.REDSHIFT : Dialect.REDSHIFT_REHEARSAL;
  }

  /** "ALTER COLUMN ... TYPE": "You can't alter columns within a transaction block (BEGIN ... END)." */
  @Override
  protected boolean typeChangesInTransaction() {
    return false;
  }

  /** Redshift changes one type only: a VARCHAR to a longer VARCHAR. */
  @Override
  protected Optional<String> widenColumnSql(String qualifiedTable, String column,
      ColumnType from, ColumnType to) {
    boolean longerText = from.family() == ColumnType.Family.VARCHAR
        && to.family() == ColumnType.Family.VARCHAR && to.length() > from.length();
    return longerText ? Optional.of("ALTER TABLE " + qualifiedTable + " ALTER COLUMN " + quoted(column) + " TYPE "
        + typeSql(to)) : Optional.empty();
  }

  /** Redshift string literals treat a backslash as an escape (PostgreSQL 8.0 rules). */
  @Override
  protected String literal(String text) {
    return super.literal(text.replace("\\", "\\\\"));
  }

  String copySql(String schema, TableLoad load, TableLoad.CopyGroup group) {
    return "COPY " + qualified(schema, load.table()) + " ("
        + group.columns().stream().map(this::quoted).collect(Collectors.joining(", ")) + ")"
        + " FROM " + literal(group.copyManifest())
        + " IAM_ROLE " + literal(iamRole)
        // "REGION ... is required when the Amazon S3 bucket isn't in the same AWS Region as the cluster."
        // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html
        + (region == null ? "" : " REGION " + literal(region))
        // The file compression parameter: https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-file-compression.html
        + " MANIFEST FORMAT AS CSV " + group.compression().copyOption() + " " + NULL_AS
        + " TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
  }

  String queryGroupSql() {
    return queryGroup == null ? null : "SET query_group TO " + literal(queryGroup);
  }

  /** The load's WLM queue; its lock is the target's ({@link TargetLocks}), taken next. */
  @Override
  protected void beginLoad(Connection connection, String schema) throws SQLException {
    String group = queryGroupSql();
    if (group != null) {
      execute(connection, group);
    }
  }

  @Override
  protected void lockShared(Connection connection, String qualifiedTable) throws SQLException {
    execute(connection, "LOCK " + qualifiedTable);
  }

  @Override
  protected void lockExclusive(Connection connection, String qualifiedTable) throws SQLException {
    execute(connection, "LOCK " + qualifiedTable);
  }

  /** "ERROR: 1023 DETAIL: Serializable isolation violation", "... conflict with concurrent transaction". */
  @Override
  protected boolean isConflict(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return super.isConflict(e) || message.contains("serializable isolation violation")
        || message.contains("concurrent transaction") || message.contains("deadlock detected");
  }

  /**
   * One COPY of every file of the group, which Redshift spreads over all slices of the cluster. The
   * rehearsal records that COPY and streams the same files in.
   */
  @Override
  protected long copy(Connection connection, String schema, TableLoad load, TableLoad.CopyGroup group)
      throws SQLException {
    if (rehearsal != null) {
      rehearsal.statement(copySql(schema, load, group));
      return StreamedCopy.copy(connection, StreamedCopy.sql(this, schema, load, group), load, group, Dialect.REDSHIFT);
    }
    execute(connection, copySql(schema, load, group));
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT pg_last_copy_count()")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Provisioned clusters: rows of this session's COPY of these files, newest first. */
  static final String STL_LOAD_ERRORS =
      "SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason) FROM stl_load_errors"
          + " WHERE session = ? AND TRIM(filename) LIKE ? ESCAPE '!' ORDER BY starttime DESC LIMIT 5";

  /** Serverless: SYS_LOAD_ERROR_DETAIL (no raw value column there). */
  static final String SYS_LOAD_ERROR_DETAIL =
      "SELECT TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message) FROM sys_load_error_detail"
          + " WHERE session_id = ? AND TRIM(file_name) LIKE ? ESCAPE '!' ORDER BY start_time DESC LIMIT 5";

  @Override
  protected WarehouseException loadFailure(Connection connection, String schema, TableLoad load, SQLException e) {
    List<String> details = new ArrayList<>();
    Integer session = session(connection);
    if (session != null) {
      String files = filesPattern(load);
      details = loadErrors(STL_LOAD_ERRORS, session, files);
      if (details.isEmpty()) {
        details = loadErrors(SYS_LOAD_ERROR_DETAIL, session, files);
      }
    }
    String detail = details.isEmpty() ? "" : "; load errors: " + String.join(" | ", details);
    return new WarehouseException("COPY into " + schema + "." + load.table() + " failed, nothing was committed: "
        + e.getMessage() + detail, e);
  }

  /** The loading session's id; the connection is usable again after the rollback. */
  private Integer session(Connection connection) {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      return r.next() ? r.getInt(1) : null;
    } catch (SQLException ignored) {
      return null;
    }
  }

  /**
   * A LIKE pattern for the load's files: the run's directory of the data bucket, cut to the
   * column's width, and the table's directory name, so another table's or run's files never match.
   */
  static String filesPattern(TableLoad load) {
    String first = load.groups().stream().flatMap(g -> g.files().stream()).findFirst().map(TableLoad.StagedFile::uri)
        .orElse(load.groups().isEmpty() ? "" : load.groups().get(0).copyManifest());
    int segmentAt = first.indexOf("/segment=");
    String run = segmentAt < 0 ? first.substring(0, first.lastIndexOf('/') + 1) : first.substring(0, segmentAt + 1);
    String tableDir = first.substring(first.lastIndexOf('/', first.lastIndexOf('/') - 1) + 1, first.lastIndexOf('/') + 1);
    String cut = run.length() > FILE_NAME_CHARS ? run.substring(0, FILE_NAME_CHARS) : run;
    return escape(cut) + (segmentAt < 0 || run.length() > FILE_NAME_CHARS ? "%" : "%/" + escape(tableDir) + "%");
  }

  private static String escape(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** Load errors read outside the aborted transaction, on a connection of their own. */
  private List<String> loadErrors(String sql, int session, String files) {
    List<String> errors = new ArrayList<>();
    try (Connection c = connect()) {
      c.setAutoCommit(true);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setInt(1, session);
        s.setString(2, files);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            errors.add(r.getString(1) + " line " + r.getLong(2) + " column " + r.getString(3) + ": " + r.getString(4));
          }
        }
      }
    } catch (SQLException ignored) {
      // The other system view is the one this cluster type has.
    }
    return errors;
  }
}
