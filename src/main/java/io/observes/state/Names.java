package io.observes.state;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks of the names that become parts of the state's S3 keys or of its documents. */
final class Names {
  /** One key segment: a slash would move the state under another ETL's prefix. */
  private static final Pattern ETL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private Names() {}

  static String etl(String etl) {
    Objects.requireNonNull(etl, "etl");
    if (!ETL.matcher(etl).matches()) {
      throw new IllegalArgumentException("not an ETL name: '" + etl + "' (it becomes one segment of the state's S3 key: "
          + "up to 100 letters, digits, '.', '_' or '-', starting with a letter or digit)");
    }
    return etl;
  }

  static String run(String run) {
    Objects.requireNonNull(run, "run");
    if (run.isBlank()) {
      throw new IllegalArgumentException("a run id must not be blank: it records which run wrote the state");
    }
    return run;
  }
}
