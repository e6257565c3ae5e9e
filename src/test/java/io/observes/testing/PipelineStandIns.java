package io.observes.testing;

import io.observes.pipeline.Pipeline;
import io.observes.pipeline.PipelineSettings;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Streams;
import io.observes.pipeline.Target;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.warehouse.WarehouseClient;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-ins a pipeline test class runs against: s3proxy with the buckets {@code data} and
 * {@code cache}, a database of its own on embedded PostgreSQL ({@link PostgresStandIn}) and a client
 * of it, set up once per class.
 */
public abstract class PipelineStandIns {
  protected static S3StandIn s3;
  protected static PostgresStandIn pg;
  protected static WarehouseClient warehouse;
  @TempDir protected static Path work;

  @BeforeAll
  static void startStandIns() throws Exception {
    s3 = new S3StandIn();
    s3.createBucket("data");
    s3.createBucket("cache");
    pg = new PostgresStandIn();
    warehouse = pg.client();
  }

  @AfterAll
  static void stopStandIns() throws Exception {
    warehouse.close();
    pg.close();
    s3.close();
  }

  /** A pipeline of target {@code name} (ETL and schema), parts of 4 KiB, nesting kept to {@code depth}. */
  protected static Pipeline pipeline(String name, WarehouseClient client, int depth) {
    return new Pipeline(new Target(name, name), Streams.undeclared(), s3.store(), client, settings(depth));
  }

  /** The buckets {@code data} and {@code cache}, parts of 4 KiB, nesting kept to {@code depth}, local runs. */
  protected static PipelineSettings settings(int depth) {
    return PipelineSettings.local("data", new SchemaCache(s3.store(), "cache"), new SegmentStager.Settings(depth, 4096, work),
        Clock.systemUTC());
  }

  protected static PipelineSettings settings() {
    return settings(4);
  }

  protected static Pipeline pipeline(String name) {
    return pipeline(name, warehouse, 4);
  }
}
