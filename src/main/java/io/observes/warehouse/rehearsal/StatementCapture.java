package io.observes.warehouse.rehearsal;

import java.nio.file.Path;

/**
 * Receives every SQL text {@link RedshiftRules} checks, refused or not, exactly as the application
 * sent it: bind values are not substituted ({@code ?} placeholders stay) and no rewrite is applied,
 * so the texts can be fed to a Redshift linter (sqlfluff's redshift dialect) as they are.
 */
public interface StatementCapture {
  /** The line written after each captured statement. */
  String END_OF_STATEMENT = "-- observes:end-of-statement";

  /** The system property naming the directory to capture into. */
  String PROPERTY = "observes.sql.capture";

  /** The environment variable naming the directory to capture into, when the property is not set. */
  String ENVIRONMENT = "OBSERVES_SQL_CAPTURE";

  /** Captures nothing. */
  StatementCapture NONE = sql -> {};

  /** Takes one statement text as sent; may be called from many threads at once. */
  void statement(String sql);

  /**
   * Appends to a file of this JVM's own in {@code dir} ({@code redshift-<pid>-<uuid>.sql}, created
   * with the directory on the first statement), each distinct text once per JVM and directory,
   * followed by the line {@link #END_OF_STATEMENT}. Thread-safe; a text that cannot be written
   * throws {@link java.io.UncheckedIOException}.
   */
  static StatementCapture toDirectory(Path dir) {
    return DirectoryStatementCapture.of(dir);
  }

  /**
   * {@link #toDirectory} of the directory named by the system property {@value #PROPERTY}, else by
   * the environment variable {@value #ENVIRONMENT}; {@link #NONE} when neither names one.
   */
  static StatementCapture fromSystem() {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(ENVIRONMENT);
    }
    return dir == null || dir.isBlank() ? NONE : toDirectory(Path.of(dir.strip()));
  }
}
