package io.observes.etl.dynamo;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Buckets;
import io.observes.config.ConfigException;
import io.observes.config.Environment;
import io.observes.warehouse.WarehouseConfig;
import io.observes.state.StateStore;
import io.observes.pipeline.Pipeline;
import io.observes.pipeline.PipelineSettings;
import io.observes.pipeline.SchemaCache;
import io.observes.pipeline.Target;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.storage.S3ObjectStore;
import io.observes.warehouse.RunOrigin;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseSettings;
import io.observes.warehouse.Warehouses;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

/** The dynamo ETL wired from the environment: AWS clients, warehouse, pipeline and the table scan. */
public final class DynamoEtl implements AutoCloseable {
  public static final String ETL = DynamoSource.NAME;
  /** The run-log job of incremental runs. */
  public static final String INCREMENTAL = ETL + "-incremental";
  /** Where the original kept its schemas: {@code s3://observes.cache/dynamoEtl/}. */
  public static final String CACHE_PREFIX = "dynamoEtl";
  public static final String BUNDLED_ROUTES = "/etl-jobs/dynamo-tables.yaml";

  /** What to scan and where to publish it. */
  public record Options(String table, String targetSchema, String routes, int pageSize, double maxReadUnits) {}

  private final S3Client s3;
  private final DynamoDbClient dynamo;
  private final WarehouseClient warehouse;
  public final Pipeline pipeline;
  /** The same target, applied as versioned changes (merged in place): what {@code incremental} publishes with. */
  public final Pipeline incremental;
  private final Environment env;
  private final Clock clock;
  private final S3ObjectStore store;
  private final Buckets buckets;
  private final String table;
  private final SegmentScan scan;
  /** The table read by a parallel Scan: phase1's source unless it reads an export. */
  public final DynamoSource source;

  public DynamoEtl(Environment env, Clock clock, Options options) {
    this.env = env;
    this.clock = clock;
    AwsSettings aws = AwsSettings.from(env);
    this.buckets = Buckets.from(env);
    this.table = options.table();
    TableRouting routing = routing(options.routes(), options.table());
    Target target;
    SegmentScan.Settings scanSettings;
    WarehouseSettings warehouseSettings = WarehouseConfig.from(env, null);
    try {
      // Checked against the configured warehouse's identifiers before anything connects.
      target = new Target(ETL, options.targetSchema()).within(Warehouses.dialect(warehouseSettings));
      scanSettings = new SegmentScan.Settings(options.table(), options.pageSize(), options.maxReadUnits());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    s3 = AwsClients.s3(aws);
    dynamo = AwsClients.dynamo(aws);
    warehouse = Warehouses.open(warehouseSettings);
    store = new S3ObjectStore(s3);
    pipeline = pipeline(target, io.observes.pipeline.Streams.undeclared(), CACHE_PREFIX, clock);
    // Its own schema cache: the version and deletion fields stay out of a full refresh's tables.
    // Its own name in the run log and staging layout: its row counts are changes, not table sizes,
    // so its runs have their own history (volume, freshness) beside the full refreshes'.
    incremental = pipeline(new Target(INCREMENTAL, target.schema()),
        io.observes.pipeline.Streams.undeclared()
        .versioned(IncrementalRecords.WRITTEN, IncrementalRecords.DELETED), CACHE_PREFIX + "-incremental", clock);
    try {
      scan = new SegmentScan(dynamo, scanSettings, routing);
      source = new DynamoSource(scan);
    } catch (ResourceNotFoundException e) {
      close();
      throw new ConfigException("DynamoDB table '" + options.table() + "' does not exist in region " + aws.region()
          + (aws.dynamo().isPresent() ? " at " + aws.dynamo().get() : "") + ": check --table and AWS_REGION", e);
    }
  }

  private Pipeline pipeline(Target target, io.observes.pipeline.Streams streams, String cache, Clock clock) {
    PipelineSettings settings = PipelineSettings.local(buckets.data(), new SchemaCache(store, buckets.cache(), cache),
        SegmentStager.Settings.from(env), clock);
    return new Pipeline(target, streams, store, warehouse, settings.withRunLog(RunOrigin.from(env.variables()),
        io.observes.pipeline.JobTimes.heartbeat(env), io.observes.pipeline.JobTimes.stallLimit(env)));
  }

  /**
   * Whose lease a run takes: the target's, {@code dynamodb/run.lease} for the default target schema,
   * {@code dynamodb.<schema>/run.lease} for another (a key segment: a schema name outside ASCII is
   * named by its digest). Runs into different target schemas do not exclude each other.
   */
  public String leaseName() {
    String schema = pipeline.target().schema();
    if (schema.equals(ETL)) {
      return ETL;
    }
    return ETL + "." + (schema.matches("[a-z0-9_-]+") ? schema
        : java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(sha256(schema), 12)));
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The ETL's run lease (one full refresh or incremental run at a time), held until closed. */
  public io.observes.state.RunLease lease(String holder, Clock clock) {
    return io.observes.state.RunLease.acquire(store, buckets.state(), leaseName(), holder, io.observes.pipeline.JobTimes.leaseTtl(env), clock);
  }

  /**
   * The lease of a full refresh, shared by its phases and nodes (run id {@code run}): joined, or
   * waited for while an incremental run holds it (up to {@code OBSERVES_LEASE_WAIT_SECONDS}, default
   * an hour). Not released when closed: the refresh's last phase releases it.
   */
  public io.observes.state.RunLease refreshLease(io.observes.pipeline.RunId run) {
    Duration wait = Duration.ofSeconds(env.integer("OBSERVES_LEASE_WAIT_SECONDS").orElse(3600));
    return io.observes.state.RefreshLease.join(store, buckets.state(), leaseName(), run.value(), io.observes.pipeline.JobTimes.leaseTtl(env), clock,
        new io.observes.state.RefreshLease.Wait(Duration.ofSeconds(15), wait), d -> Thread.sleep(d.toMillis()));
  }

  public Clock clock() {
    return clock;
  }

  /** Checks both manifests of a completed incremental export. */
  public ExportManifest manifest(IncrementalExport export) {
    return ExportManifest.read(store, export);
  }

  /** The changes of one data file of an incremental export, each line checked. */
  public java.util.stream.Stream<IncrementalChange> changes(ExportManifest.DataFile file) {
    return IncrementalChange.read(store, file);
  }

  /** The changes of an incremental run as records routed and keyed as a scan's. */
  public IncrementalRecords incrementalRecords() {
    return new IncrementalRecords(scan::record);
  }

  /** Where exports go: the data bucket, under the ETL's folder. */
  public static final String EXPORT_PREFIX = ETL + "/exports";

  public String dataBucket() {
    return buckets.data();
  }

  /** The table's exports through DynamoDB's API. */
  public TableExports exports() {
    return new TableExports(dynamo, table);
  }

  /** The ETL's state, where {@code export} records the last full export. */
  public ExportState exportState() {
    return new ExportState(StateStore.of(store, buckets, ETL));
  }

  /** The export pinned to {@code run}, read by every segment of it. */
  public RunExportPin pin(io.observes.pipeline.RunId run) {
    return new RunExportPin(store, pipeline.layout().run(run));
  }

  /** Checks both manifests of a completed export now, before any segment relies on them. */
  public ExportManifest manifest(TableExport export) {
    return ExportManifest.read(store, export);
  }

  /** The same items, routed the same way, read from the files of {@code export} instead of the table. */
  public DynamoSource exportSource(TableExport export) {
    return new DynamoSource(new ExportScan(store, manifest(export), scan::record));
  }

  /** How this process takes part in a multi-node phase of {@code run}. */
  public io.observes.pipeline.NodeCoordination coordination(java.io.PrintWriter out, io.observes.pipeline.RunId run) {
    return new io.observes.pipeline.NodeCoordination(env, new io.observes.pipeline.SegmentBoard(store, pipeline.layout().run(run)), out, Thread::sleep);
  }

  /**
   * The routing file {@code file} (the YAML format of the bundled one, or a NoSQL Workbench model
   * exported as JSON), else the bundled one.
   */
  public static TableRouting routing(String file, String dynamoTable) {
    if (file != null) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(file)))) {
        return isJson(in) ? WorkbenchModel.read(in, file, dynamoTable) : TableRouting.read(in, file, dynamoTable);
      } catch (IOException e) {
        throw new ConfigException("cannot read the routing file " + file + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }
    try (InputStream in = DynamoEtl.class.getResourceAsStream(BUNDLED_ROUTES)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + BUNDLED_ROUTES + "; rebuild it with mvn package");
      }
      return TableRouting.read(in, "the bundled etl-jobs/dynamo-tables.yaml", dynamoTable);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundled routing file: " + e.getMessage(), e);
    }
  }

  /** A JSON document starts with '{' after blanks; YAML routing files never do. */
  private static boolean isJson(InputStream in) throws IOException {
    in.mark(4096);
    int c;
    do {
      c = in.read();
    } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
    in.reset();
    return c == '{';
  }

  @Override
  public void close() {
    warehouse.close();
    dynamo.close();
    s3.close();
  }
}
