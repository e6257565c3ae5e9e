package io.observes.warehouse.rehearsal;

import java.sql.SQLFeatureNotSupportedException;

/**
 * Every rule {@link RedshiftStatementRules} enforces, said plainly, with the page of the Amazon
 * Redshift Database Developer Guide it comes from. A refusal is an SQLException with SQLState
 * 0A000 (feature not supported) whose message names the rule, the page and the statement.
 */
enum RedshiftRule {
  ALTER_COLUMN_TYPE_IN_TRANSACTION("ALTER COLUMN ... TYPE cannot run inside a transaction block", Page.ALTER_TABLE),
  ALTER_COLUMN_TYPE_USING("ALTER COLUMN ... TYPE takes no USING clause", Page.ALTER_TABLE),
  ALTER_COLUMN_TYPE_NOT_VARCHAR("ALTER COLUMN ... TYPE only changes the length of a VARCHAR column, to another VARCHAR",
      Page.ALTER_TABLE),
  ALTER_COLUMN_TYPE_SHORTER_THAN_DATA("ALTER COLUMN ... TYPE cannot make a VARCHAR shorter than the longest value it "
      + "holds (Redshift counts bytes)", Page.ALTER_TABLE),
  ALTER_COLUMN_TYPE_WITH_DEFAULT("ALTER COLUMN ... TYPE cannot alter a column that has a default value", Page.ALTER_TABLE),
  ALTER_COLUMN_OTHER("ALTER COLUMN takes only TYPE (a VARCHAR's length) or ENCODE: no SET/DROP NOT NULL or DEFAULT",
      Page.ALTER_TABLE),
  ALTER_TABLE_ONE_ACTION("ALTER TABLE takes one action per statement (only ALTER COLUMN ... ENCODE clauses, and "
      + "ALTER SORTKEY with ALTER DISTKEY/DISTSTYLE, combine)", Page.ALTER_TABLE),
  ADD_COLUMN_CONSTRAINT("ALTER TABLE ... ADD COLUMN cannot declare PRIMARY KEY, UNIQUE or REFERENCES", Page.ALTER_TABLE),
  LOCK_MODE("LOCK takes no lock mode: Redshift's LOCK is always ACCESS EXCLUSIVE", Page.LOCK),
  TRUNCATE_IN_TRANSACTION("TRUNCATE inside a transaction block: Redshift commits the transaction implicitly",
      Page.TRUNCATE),
  TRUNCATE_ONE_TABLE("TRUNCATE takes exactly one table and no options", Page.TRUNCATE),
  ANALYZE_ONE_TABLE("ANALYZE takes at most one table", Page.ANALYZE),
  INDEX("indexes: Redshift has no CREATE INDEX", Page.FEATURES),
  SEQUENCE("sequences (CREATE SEQUENCE, nextval, currval, setval)", Page.FEATURES),
  ON_CONFLICT("INSERT ... ON CONFLICT: Redshift's INSERT has no conflict clause", Page.INSERT),
  RETURNING("RETURNING: Redshift's INSERT, UPDATE and DELETE return no rows", Page.INSERT),
  LOCKING_READ("SELECT ... FOR UPDATE / FOR SHARE: Redshift has no row locks", Page.SELECT),
  DISTINCT_ON("DISTINCT ON", Page.SELECT_LIST),
  ADVISORY_LOCK("advisory lock functions (pg_advisory_*)", Page.FUNCTIONS),
  FUNCTION("a PostgreSQL function Redshift does not have", Page.FUNCTIONS),
  IS_DISTINCT_FROM("IS [NOT] DISTINCT FROM", Page.FUNCTIONS),
  SAVEPOINT("savepoints (SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT)", Page.FUNCTIONS),
  LEADER_NODE_FUNCTION("a deprecated leader-node-only date function, which fails in any query on a table "
      + "(use GETDATE() or SYSDATE, or bind the time)", Page.LEADER_NODE),
  AGGREGATE_FILTER("FILTER (WHERE ...) on an aggregate (use CASE inside it)", Page.AGGREGATES),
  VALUES_TABLE("a VALUES list used as a constant table", Page.FEATURES),
  ARRAY("arrays (ARRAY[...] constructors and type[] columns)", Page.DATA_TYPES),
  CHECK_CONSTRAINT("CHECK and EXCLUDE constraints", Page.FEATURES),
  TABLE_FEATURE("table partitioning, inheritance, tablespaces and UNLOGGED tables", Page.FEATURES),
  LISTEN_NOTIFY("LISTEN, NOTIFY and UNLISTEN", Page.COMMANDS),
  EXTENSION("CREATE EXTENSION", Page.COMMANDS),
  COMMAND("a PostgreSQL command Redshift does not have", Page.COMMANDS),
  IDENTIFIER_LENGTH("an identifier longer than 127 bytes of UTF-8", Page.NAMES),
  IDENTIFIER_CONTROL("an identifier with a control character (only printable UTF-8 is allowed)", Page.NAMES),
  VARCHAR_LENGTH("VARCHAR longer than 65,535 bytes", Page.CHARACTER_TYPES),
  CHAR_LENGTH("CHAR longer than 4,096 bytes", Page.CHARACTER_TYPES),
  TEXT_COLUMN("a TEXT column: Redshift accepts it but makes it VARCHAR(256), cutting longer values "
      + "(declare the VARCHAR length)", Page.CHARACTER_TYPES),
  NUMERIC_PRECISION("NUMERIC/DECIMAL with precision over 38 or scale over 37", Page.NUMERIC_TYPES),
  NUMERIC_UNBOUNDED("a NUMERIC/DECIMAL column without precision: Redshift makes it NUMERIC(18,0) and drops "
      + "the decimals (declare precision and scale)", Page.NUMERIC_TYPES),
  SERIAL("SERIAL, BIGSERIAL and SMALLSERIAL types (Redshift has IDENTITY columns instead)", Page.DATA_TYPES),
  INTERVAL_COLUMN("an INTERVAL column without a qualifier (Redshift's are INTERVAL YEAR TO MONTH or "
      + "INTERVAL DAY TO SECOND)", Page.INTERVAL),
  DATA_TYPE("a data type Redshift does not have", Page.DATA_TYPES),
  SET_PARAMETER("SET or RESET of a parameter Redshift does not have", Page.CONFIGURATION),
  OPEN_STRING("a string literal that never closes as Redshift reads it: a backslash escapes the character after "
      + "it, so \\' does not end a string", Page.QUOTE_LITERAL);

  /** The pages of the Amazon Redshift Database Developer Guide the rules come from. */
  static final class Page {
    private static final String DG = "https://docs.aws.amazon.com/redshift/latest/dg/";
    static final String ALTER_TABLE = DG + "r_ALTER_TABLE.html";
    static final String LOCK = DG + "r_LOCK.html";
    static final String TRUNCATE = DG + "r_TRUNCATE.html";
    static final String ANALYZE = DG + "r_ANALYZE.html";
    static final String FEATURES = DG + "c_unsupported-postgresql-features.html";
    static final String FUNCTIONS = DG + "c_unsupported-postgresql-functions.html";
    static final String DATA_TYPES = DG + "c_unsupported-postgresql-datatypes.html";
    static final String INSERT = DG + "r_INSERT_30.html";
    static final String SELECT = DG + "r_SELECT_synopsis.html";
    static final String SELECT_LIST = DG + "r_SELECT_list.html";
    static final String LEADER_NODE = DG + "c_SQL_functions_leader_node_only.html";
    static final String AGGREGATES = DG + "c_Aggregate_Functions.html";
    static final String COMMANDS = DG + "c_SQL_commands.html";
    static final String NAMES = DG + "r_names.html";
    static final String CHARACTER_TYPES = DG + "r_Character_types.html";
    static final String NUMERIC_TYPES = DG + "r_Numeric_types201.html";
    static final String INTERVAL = DG + "r_interval_data_types.html";
    static final String CONFIGURATION = DG + "cm_chap_ConfigurationRef.html";
    /** QUOTE_LITERAL doubles backslashes, since a Redshift string literal reads them as escapes. */
    static final String QUOTE_LITERAL = DG + "r_QUOTE_LITERAL.html";
    /** Unique, primary key and foreign key constraints are informational only, not enforced. */
    static final String CONSTRAINTS = DG + "t_Defining_constraints.html";

    private Page() {}
  }

  static final int SHOWN_CHARS = 300;

  private final String rule;
  private final String page;

  RedshiftRule(String rule, String page) {
    this.rule = rule;
    this.page = page;
  }

  String page() {
    return page;
  }

  /** The refusal of {@code statement}; {@code detail}, if not null, says what in it broke the rule. */
  SQLFeatureNotSupportedException refuse(String statement, String detail) {
    return new SQLFeatureNotSupportedException("Redshift refuses this: " + rule + (detail == null ? "" : " [" + detail + "]")
        + " (" + page + ") in: " + shown(statement.strip()), "0A000");
  }

  private static String shown(String statement) {
    if (statement.length() <= SHOWN_CHARS) {
      return statement;
    }
    int end = Character.isHighSurrogate(statement.charAt(SHOWN_CHARS - 1)) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
    return statement.substring(0, end) + " [...]";
  }
}
