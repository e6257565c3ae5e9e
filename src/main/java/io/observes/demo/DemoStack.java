package io.observes.demo;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * The local stand-ins of the production services, in this process: DynamoDB Local (in memory),
 * s3proxy (in memory) and an embedded PostgreSQL for Redshift. {@link #environment} gives the
 * variables that point Observes at them, exactly as a Batch job's environment points it at AWS.
 */
public final class DemoStack implements AutoCloseable {
  /** DynamoDB Local accepts only letters and digits in an access key id. */
  public static final String ACCESS_KEY = "observesdemo";
  private static final String SECRET_KEY = "observesdemosecret";
  public static final String DATA_BUCKET = "observes-demo-data";
  public static final String CACHE_BUCKET = "observes-demo-cache";
  public static final String STATE_BUCKET = "observes-demo-state";

  private final DynamoDBProxyServer dynamo;
  private final int dynamoPort;
  private final S3Proxy s3;
  private final Warehouse warehouse;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** DynamoDB's export API in front of DynamoDB Local, started when first asked for, with its clients. */
  private ExportStandIn exports;
  private final List<AutoCloseable> exportParts = new ArrayList<>();

  /**
   * The stack's warehouse: a PostgreSQL database ({@code jdbcUrl}, naming its user) on the server at
   * {@code port} of this host, and what ends it when the stack closes.
   */
  public record Warehouse(String jdbcUrl, int port, AutoCloseable end) {
    public Warehouse {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      Objects.requireNonNull(end, "end");
    }
  }

  private DemoStack(DynamoDBProxyServer dynamo, int dynamoPort, S3Proxy s3, Warehouse warehouse) {
    this.dynamo = dynamo;
    this.dynamoPort = dynamoPort;
    this.s3 = s3;
    this.warehouse = warehouse;
  }

  /** The stack with an embedded PostgreSQL cluster of its own, as {@code observes demo} runs it. */
  public static DemoStack start() throws Exception {
    return start(DemoStack::embeddedWarehouse);
  }

  /**
   * The stack with the warehouse {@code opened} gives, which the stack ends when it closes. The tests
   * give it a database of the one PostgreSQL server their JVM runs: a cluster of its own per test
   * class (initdb, start, stop) took 0.85 s of CPU (docs/performance.md, "Test suite").
   */
  public static DemoStack start(Callable<Warehouse> opened) throws Exception {
    DynamoDBProxyServer dynamo = null;
    S3Proxy s3 = null;
    try {
      int port = freePort();
      dynamo = ServerRunner.createServerFromCommandLineArgs(
          new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
      dynamo.start();
      s3 = startS3(ACCESS_KEY, SECRET_KEY);
      return new DemoStack(dynamo, port, s3, Objects.requireNonNull(opened.call(), "warehouse"));
    } catch (Exception e) {
      if (s3 != null) {
        s3.stop();
      }
      if (dynamo != null) {
        dynamo.stop();
      }
      throw e;
    }
  }

  /** s3proxy in memory on a free loopback port, started (also the tests' S3 stand-in). */
  public static S3Proxy startS3(String accessKey, String secretKey) throws Exception {
    S3Proxy s3 = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .build();
    s3.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!"STARTED".equals(s3.getState())) {
      if (Instant.now().isAfter(deadline)) {
        s3.stop();
        throw new IllegalStateException("s3proxy did not start within 30 s (state " + s3.getState() + ")");
      }
      Thread.onSpinWait();
    }
    return s3;
  }

  private static Warehouse embeddedWarehouse() throws IOException {
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off").start();
    return new Warehouse(postgres.getJdbcUrl("postgres", "postgres"), postgres.getPort(), postgres);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public URI dynamoEndpoint() {
    return URI.create("http://127.0.0.1:" + dynamoPort);
  }

  public URI s3Endpoint() {
    return URI.create("http://127.0.0.1:" + s3.getPort());
  }

  public String jdbcUrl() {
    return warehouse.jdbcUrl();
  }

  public int postgresPort() {
    return warehouse.port();
  }

  /** The environment of a job that runs against this stack. */
  public Map<String, String> environment(String dynamoTable) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3Endpoint().toString());
    env.put("OBSERVES_WAREHOUSE_URL", jdbcUrl());
    env.put("OBSERVES_DATA_BUCKET", DATA_BUCKET);
    env.put("OBSERVES_CACHE_BUCKET", CACHE_BUCKET);
    env.put("OBSERVES_STATE_BUCKET", STATE_BUCKET);
    env.put("OBSERVES_DYNAMO_TABLE", dynamoTable);
    // Nothing else runs on this stack: a lease held here is a run left unfinished, said at once.
    env.put("OBSERVES_LEASE_WAIT_SECONDS", "0");
    return env;
  }

  /**
   * The export stand-in in front of this stack's DynamoDB Local, writing into its s3proxy: point
   * {@code AWS_ENDPOINT_URL_DYNAMODB} at {@link ExportStandIn#endpoint()} to have exports (every other
   * call is forwarded). Started on the first call; closed with the stack.
   */
  public synchronized ExportStandIn exports() throws IOException {
    if (exports == null) {
      AwsSettings aws = AwsSettings.from(new Environment(environment("unused")));
      var dynamoClient = AwsClients.dynamo(aws);
      exportParts.add(dynamoClient);
      var s3Client = AwsClients.s3(aws);
      exportParts.add(s3Client);
      exports = new ExportStandIn(dynamoEndpoint(), dynamoClient, s3Client);
      exportParts.add(0, exports);
    }
    return exports;
  }

  /** Idempotent: the demo's shutdown hook and its try-with-resources may both close it. */
  @Override
  public void close() throws Exception {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Exception failure = null;
    List<AutoCloseable> parts = new ArrayList<>();
    synchronized (this) {
      parts.addAll(exportParts);
    }
    parts.addAll(List.of(warehouse.end(), s3::stop, dynamo::stop));
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
