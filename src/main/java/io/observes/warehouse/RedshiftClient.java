package io.observes.warehouse;

import io.observes.pipeline.stage.CsvFormat;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Redshift: one {@code COPY ... FROM 's3://.../copy.manifest' MANIFEST IAM_ROLE ... CSV GZIP} per
 * table and segment, the session in a WLM query group, and a failed COPY explained from
 * {@code STL_LOAD_ERRORS} (provisioned) or {@code SYS_LOAD_ERROR_DETAIL} (serverless). Redshift
 * does not enforce primary keys, so a load first locks the bookkeeping table.
 */
public final class RedshiftClient extends BaseWarehouseClient {
  private static final Pattern QUERY_GROUP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+");

  private final String iamRole;
  private final String queryGroup;

  public RedshiftClient(DataSource dataSource, AutoCloseable pool, String iamRole, String queryGroup) {
    super(dataSource, pool);
    this.iamRole = Objects.requireNonNull(iamRole, "iamRole");
    if (!ROLE.matcher(iamRole).matches()) {
      throw new IllegalArgumentException("OBSERVES_REDSHIFT_IAM_ROLE must be an IAM role ARN "
          + "(arn:aws:iam::<account>:role/<name>) that Redshift assumes to read the staged files");
    }
    if (queryGroup != null && !QUERY_GROUP.matcher(queryGroup).matches()) {
      throw new IllegalArgumentException("the Redshift query group must be 1-64 of [A-Za-z0-9_.-], was '" + queryGroup + "'");
    }
    this.queryGroup = queryGroup;
  }

  /** Redshift string literals treat a backslash as an escape (PostgreSQL 8.0 rules). */
  @Override
  protected String literal(String text) {
    return super.literal(text.replace("\\", "\\\\"));
  }

  String copySql(String schema, TableLoad load) {
    return "COPY " + qualified(schema, load.table()) + " ("
        + load.columns().stream().map(this::quoted).collect(Collectors.joining(", ")) + ")"
        + " FROM " + literal(load.copyManifest())
        + " IAM_ROLE " + literal(iamRole)
        + " MANIFEST FORMAT AS CSV GZIP NULL AS " + literal(CsvFormat.NULL_MARKER)
        + " TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
  }

  String queryGroupSql() {
    return queryGroup == null ? null : "SET query_group TO " + literal(queryGroup);
  }

  @Override
  protected void beginLoad(Connection connection, String schema) throws SQLException {
    String group = queryGroupSql();
    if (group != null) {
      execute(connection, group);
    }
    execute(connection, "LOCK " + qualified(schema, LOADS_TABLE));
  }

  @Override
  protected long copy(Connection connection, String schema, TableLoad load) throws SQLException {
    execute(connection, copySql(schema, load));
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT pg_last_copy_count()")) {
      r.next();
      return r.getLong(1);
    }
  }

  static final String STL_LOAD_ERRORS =
      "SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_field_value)"
          + " FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY starttime LIMIT 5";
  static final String SYS_LOAD_ERROR_DETAIL =
      "SELECT TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message), TRIM(column_value)"
          + " FROM sys_load_error_detail WHERE query_id = (SELECT MAX(query_id) FROM sys_load_error_detail"
          + " WHERE user_id = CURRENT_USER_ID) ORDER BY start_time LIMIT 5";

  @Override
  protected WarehouseException loadFailure(Connection connection, String schema, TableLoad load, SQLException e) {
    List<String> details = loadErrors(connection, STL_LOAD_ERRORS);
    if (details.isEmpty()) {
      details = loadErrors(connection, SYS_LOAD_ERROR_DETAIL);
    }
    String detail = details.isEmpty() ? "" : "; load errors: " + String.join(" | ", details);
    return new WarehouseException("COPY of segment " + load.segment() + " into " + schema + "." + load.table()
        + " failed, nothing was committed: " + e.getMessage() + detail, e);
  }

  private List<String> loadErrors(Connection connection, String sql) {
    List<String> errors = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        errors.add(r.getString(1) + " line " + r.getLong(2) + " column " + r.getString(3) + ": " + r.getString(4));
      }
    } catch (SQLException ignored) {
      // The other system view is the one this cluster type has.
    }
    return errors;
  }
}
