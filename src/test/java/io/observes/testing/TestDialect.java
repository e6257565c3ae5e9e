package io.observes.testing;

import io.observes.warehouse.PostgresClient;
import io.observes.warehouse.RedshiftClient;
import io.observes.warehouse.rehearsal.StatementCapture;
import io.observes.warehouse.WarehouseClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The dialect the warehouse tests run: PostgreSQL's, or with {@code -Dobserves.test.dialect=redshift}
 * (the build's second test run) Redshift's own code under Redshift's rules on the same embedded
 * PostgreSQL ({@link RedshiftClient#rehearsal}). Clients made here and environments of jobs run as
 * commands or processes follow it, and pass on where the statements are captured for the syntax check.
 */
public final class TestDialect {
  public static final String PROPERTY = "observes.test.dialect";

  private TestDialect() {}

  public static boolean redshift() {
    return "redshift".equals(System.getProperty(PROPERTY));
  }

  /** A client of the warehouse behind {@code dataSource}, in the dialect under test. */
  public static WarehouseClient client(DataSource dataSource, AutoCloseable pool, List<String> readers) {
    return redshift() ? RedshiftClient.rehearsal(dataSource, pool, null, readers, StatementCapture.fromSystem())
        : new PostgresClient(dataSource, pool, readers);
  }

  /** {@code env} with the variables that make a job run the dialect under test. */
  public static Map<String, String> apply(Map<String, String> env) {
    Map<String, String> changed = new HashMap<>(env);
    if (redshift()) {
      changed.put("OBSERVES_WAREHOUSE_DIALECT", "redshift");
      String capture = System.getProperty("observes.sql.capture");
      if (capture != null) {
        changed.put("OBSERVES_SQL_CAPTURE", capture);
      }
    }
    return changed;
  }
}
