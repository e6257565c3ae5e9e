package io.observes.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an API ETL test class runs against, set up once per class: s3proxy with atomic conditional
 * writes (buckets {@code data}, {@code cache}, {@code state}) and a database of its own on embedded
 * PostgreSQL ({@link PostgresStandIn}), and the
 * environment a run of the jar gets to reach them.
 */
public abstract class ApiEtlStandIns {
  protected static S3StandIn s3;
  protected static PostgresStandIn pg;
  @TempDir protected static Path work;

  @BeforeAll
  static void startApiStandIns() throws Exception {
    s3 = S3StandIn.withAtomicConditions();
    for (String bucket : List.of("data", "cache", "state")) {
      s3.createBucket(bucket);
    }
    pg = new PostgresStandIn();
  }

  @AfterAll
  static void stopApiStandIns() throws Exception {
    pg.close();
    s3.close();
  }

  /** Empties the buckets and drops {@code schemas} and the run log: every test starts from nothing. */
  protected static void reset(String... schemas) throws Exception {
    for (String bucket : List.of("data", "cache", "state")) {
      s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
          .forEach(o -> s3.client().deleteObject(b -> b.bucket(bucket).key(o.key())));
    }
    StringBuilder sql = new StringBuilder("DROP SCHEMA IF EXISTS observes_meta CASCADE");
    for (String schema : schemas) {
      sql.append("; DROP SCHEMA IF EXISTS \"").append(schema).append("\" CASCADE; DROP SCHEMA IF EXISTS \"").append(schema)
          .append("_loading\" CASCADE; DROP SCHEMA IF EXISTS \"").append(schema).append("_backup\" CASCADE");
    }
    pg.execute(sql.toString());
  }

  /** The AWS, bucket and warehouse settings of a run against the stand-ins. */
  protected static Map<String, String> standInEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", S3StandIn.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3StandIn.SECRET_KEY);
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("OBSERVES_WAREHOUSE_URL", pg.jdbcUrl());
    env.put("OBSERVES_DATA_BUCKET", "data");
    env.put("OBSERVES_CACHE_BUCKET", "cache");
    env.put("OBSERVES_STATE_BUCKET", "state");
    env.put("OBSERVES_WORK_DIR", work.toString());
    return TestDialect.apply(env);
  }

  protected static long count(String sql) throws Exception {
    return Long.parseLong(pg.rows(sql).get(0).values().iterator().next());
  }
}
