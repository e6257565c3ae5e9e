package io.observes.cli;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Buckets;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.warehouse.WarehouseConfig;
import io.observes.pipeline.JobTimes;
import io.observes.pipeline.DryRun;
import io.observes.pipeline.Pipeline;
import io.observes.pipeline.PipelineSettings;
import io.observes.pipeline.ReadProgress;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Source;
import io.observes.pipeline.SourceRun;
import io.observes.pipeline.Target;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.state.StateStore;
import io.observes.storage.S3ObjectStore;
import io.observes.warehouse.Dialect;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseSettings;
import io.observes.warehouse.Warehouses;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An API source wired from the environment: S3 (staging, schema cache, state), the warehouse, and
 * one whole run (or a dry run) of the source into its target schema.
 */
final class ApiEtl implements AutoCloseable {
  private final Environment env;
  private final Clock clock;
  private final S3Client s3;
  private final S3ObjectStore store;
  private final Buckets buckets;

  ApiEtl(Environment env, Clock clock) {
    this.env = env;
    this.clock = clock;
    this.buckets = Buckets.from(env);
    this.s3 = AwsClients.s3(AwsSettings.from(env));
    this.store = new S3ObjectStore(s3);
  }

  SourceRun.Report run(Source source, String targetSchema, ReadProgress progress) {
    WarehouseSettings settings = WarehouseConfig.from(env, null);
    Target target = target(source, targetSchema, Warehouses.dialect(settings));
    try (WarehouseClient warehouse = Warehouses.open(settings)) {
      Pipeline pipeline = new Pipeline(target, source.streams(), store, warehouse, PipelineSettings.local(buckets.data(),
          cache(), settings(), clock).withRunLog(RunOrigin.from(env.variables()), JobTimes.heartbeat(env),
          JobTimes.stallLimit(env)));
      return new SourceRun(source, pipeline, store, buckets.state(), leaseTtl(), env.get("AWS_BATCH_JOB_ID"), clock)
          .run(progress);
    }
  }

  DryRun.Report dryRun(Source source, String targetSchema, ReadProgress progress) {
    Dialect dialect = env.get("OBSERVES_WAREHOUSE_URL").isPresent() || env.get("REDSHIFT_HOST").isPresent()
        ? Warehouses.dialect(WarehouseConfig.from(env, null)) : Dialect.REDSHIFT;
    return new DryRun(source, target(source, targetSchema, dialect), store, buckets.data(), cache(), settings(), dialect,
        new StateStore(store, buckets.state(), source.stateName()), clock).run(progress);
  }

  /** The target, its schema names checked against {@code dialect}'s identifiers before anything connects. */
  private static Target target(Source source, String schema, Dialect dialect) {
    try {
      return new Target(source.name(), schema).within(dialect);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private SchemaCache cache() {
    return new SchemaCache(store, buckets.cache());
  }

  private SegmentStager.Settings settings() {
    return SegmentStager.Settings.from(env);
  }

  private Duration leaseTtl() {
    return JobTimes.leaseTtl(env);
  }

  @Override
  public void close() {
    s3.close();
  }
}
