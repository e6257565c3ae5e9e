package io.observes.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.observes.etl.dynamo.DynamoJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DynamoDB's export API in front of DynamoDB Local, which has none: one HTTP endpoint for the SDK.
 * {@code ExportTableToPointInTime}, {@code DescribeExport} and {@code ListExports} (the JSON 1.0
 * protocol, {@code X-Amz-Target: DynamoDB_20120810.<operation>}) are answered here; every other
 * target is forwarded to DynamoDB Local unchanged. An export snapshots the table with a Scan when
 * it is requested, writes its gzip DynamoDB JSON data files into S3 (s3proxy) at once and its
 * manifests when it completes: after {@link #describesUntilDone} DescribeExport calls, so a waiting
 * client sees IN_PROGRESS, then COMPLETED, deterministically. Part of the demo stack ({@code observes demo
 * --incremental}) and the tests' export API; see the package documentation for the AWS pages it follows and
 * docs/dynamo.md ("The export stand-in") for what it cannot imitate.
 */
public final class ExportStandIn implements AutoCloseable {
  static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final String JSON_TYPE = "application/x-amz-json-1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final DynamoLocalForward forward;
  private final DynamoDbClient dynamo;
  private final ExportFiles files;
  private final Supplier<Long> clock;
  private final Map<String, StandInExport> exports = new ConcurrentHashMap<>();
  private final List<String> order = new ArrayList<>();
  private final Set<String> withoutPitr = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger describes = new AtomicInteger();
  /** Bytes of the answers forwarded from DynamoDB Local, by operation: what a reader of the table receives. */
  private final Map<String, LongAdder> forwardedBytes = new ConcurrentHashMap<>();
  private volatile int describesUntilDone = 2;
  private volatile int dataFiles = 5;
  private volatile String[] failNext;
  private volatile long edgeDriftMillis = 60_000;
  private final StreamChanges changes;

  /** In front of DynamoDB Local at {@code dynamoLocal}; {@code dynamo} reads it, {@code s3} receives the files. */
  public ExportStandIn(URI dynamoLocal, DynamoDbClient dynamo, S3Client s3) throws IOException {
    this.forward = new DynamoLocalForward(dynamoLocal);
    this.dynamo = dynamo;
    this.files = new ExportFiles(s3);
    this.clock = System::currentTimeMillis;
    this.changes = new StreamChanges(dynamo, dynamoLocal);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** DescribeExport calls that answer IN_PROGRESS before an export completes (default 2). */
  public void describesUntilDone(int n) {
    describesUntilDone = n;
  }

  /** Data files per export (default 5), like the partitions of a real table; items go by key hash. */
  public void dataFiles(int n) {
    dataFiles = n;
  }

  /** The next export ends FAILED with this FailureCode and FailureMessage, and writes no manifest. */
  public void failNext(String code, String message) {
    failNext = new String[] {code, message};
  }

  /** Exports of {@code table} are refused as AWS refuses them when PITR is off. */
  public void withoutPointInTimeRecovery(String table) {
    withoutPitr.add(table);
  }

  /** Turns on {@code table}'s stream (NEW_AND_OLD_IMAGES), which incremental exports are made from. */
  public void enableStream(String table) {
    changes.enable(table);
  }

  /**
   * Reads {@code table}'s changes since the last capture from its stream and dates them {@code at}
   * (see {@link StreamChanges}): incremental exports see a change in the windows that hold that time.
   */
  public void captureChanges(String table, java.time.Instant at) {
    changes.capture(table, at.toEpochMilli());
  }

  /** How far before ExportFromTime an incremental export also looks (default 60 s), as AWS's edges drift. */
  public void edgeDrift(java.time.Duration drift) {
    edgeDriftMillis = drift.toMillis();
  }

  /** Bytes of DynamoDB Local's answers to {@code operation} (e.g. Scan) forwarded so far (bodies, as sent). */
  public long forwardedBytes(String operation) {
    var bytes = forwardedBytes.get(operation);
    return bytes == null ? 0 : bytes.sum();
  }

  /** DescribeExport calls answered so far. */
  public int describeCalls() {
    return describes.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
      String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
      Reply reply;
      try {
        reply = switch (operation) {
          case "ExportTableToPointInTime" -> Reply.ok(export(JSON.readTree(body)));
          case "DescribeExport" -> Reply.ok(describe(JSON.readTree(body)));
          case "ListExports" -> Reply.ok(list(JSON.readTree(body)));
          default -> null;
        };
      } catch (AwsError e) {
        reply = e.reply();
      }
      if (reply == null) {
        long bytes = forward.send(exchange, body);
        forwardedBytes.computeIfAbsent(operation.isEmpty() ? target : operation,
            o -> new LongAdder()).add(bytes);
        return;
      }
      byte[] bytes = JSON.writeValueAsBytes(reply.body());
      exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
      exchange.getResponseHeaders().set("x-amzn-RequestId", "export-stand-in-" + sequence.incrementAndGet());
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private ObjectNode export(JsonNode request) {
    String tableArn = ExportRequests.required(request, "TableArn");
    String bucket = ExportRequests.required(request, "S3Bucket");
    String prefix = request.path("S3Prefix").asText("");
    String format = request.path("ExportFormat").asText("DYNAMODB_JSON");
    String type = request.path("ExportType").asText("FULL_EXPORT");
    if (!format.equals("DYNAMODB_JSON") || !(type.equals("FULL_EXPORT") || type.equals("INCREMENTAL_EXPORT"))) {
      throw new AwsError("ValidationException", "the export stand-in writes FULL_EXPORT or INCREMENTAL_EXPORT in "
          + "DYNAMODB_JSON only, not " + type + " in " + format);
    }
    ObjectNode incremental = type.equals("INCREMENTAL_EXPORT") ? ExportRequests.incremental(request, clock.get()) : null;
    String table = tableArn.substring(tableArn.indexOf(":table/") + ":table/".length());
    try {
      String actual = dynamo.describeTable(b -> b.tableName(table)).table().tableArn();
      if (!actual.equals(tableArn)) {
        throw new AwsError("TableNotFoundException", "Table not found: " + tableArn);
      }
    } catch (ResourceNotFoundException e) {
      throw new AwsError("TableNotFoundException", "Table not found: " + tableArn);
    }
    if (withoutPitr.contains(table)) {
      throw new AwsError("PointInTimeRecoveryUnavailableException",
          "Point in time recovery is not enabled for table '" + table + "'");
    }
    long now = clock.get();
    long exportMillis = request.has("ExportTime") ? request.get("ExportTime").decimalValue().movePointRight(3).longValue() : now;
    if (exportMillis > now) {
      throw new AwsError("InvalidExportTimeException", "ExportTime is in the future");
    }
    String token = request.path("ClientToken").asText(null);
    String fingerprint = tableArn + "|" + bucket + "|" + prefix + "|" + request.path("ExportTime").asText("now") + "|"
        + incremental;
    synchronized (order) {
      if (token != null) {
        for (StandInExport e : exports.values()) {
          if (token.equals(e.clientToken)) {
            if (!e.request.equals(fingerprint)) {
              throw new AwsError("ExportConflictException", "ClientToken " + token + " was used with other parameters");
            }
            return JSON.createObjectNode().set("ExportDescription", e.description());
          }
        }
      }
      String id = String.format("%014d-%08x", now, sequence.incrementAndGet());
      String arn = tableArn + "/export/" + id;
      String directory = (prefix.isEmpty() ? "" : prefix + "/") + "AWSDynamoDB/" + id + "/";
      List<ObjectNode> lines = new ArrayList<>();
      String dataDirectory = directory + "data/";
      if (incremental == null) {
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
            .forEach(item -> lines.add(line(item)));
      } else {
        long from = ExportRequests.millis(incremental.get("ExportFromTime"));
        long to = ExportRequests.millis(incremental.get("ExportToTime"));
        lines.addAll(changes.window(table, from, to, edgeDriftMillis));
        exportMillis = to;
        // An incremental export's data files go to the prefix's shared data folder, named in its manifest.
        dataDirectory = (prefix.isEmpty() ? "" : prefix + "/") + "AWSDynamoDB/data/";
      }
      ExportFiles.Written written = files.write(bucket, directory, dataDirectory, lines, dataFiles);
      Optional<String[]> failure = Optional.ofNullable(failNext);
      failNext = null;
      StandInExport export = new StandInExport(arn, tableArn, bucket, prefix, token, fingerprint, now, exportMillis, written, failure,
          describesUntilDone);
      export.incremental = incremental;
      exports.put(arn, export);
      order.add(arn);
      return JSON.createObjectNode().set("ExportDescription", export.description());
    }
  }

  private static ObjectNode line(Map<String, AttributeValue> item) {
    ObjectNode line = JSON.createObjectNode();
    line.set("Item", DynamoJson.write(new LinkedHashMap<>(item)));
    return line;
  }

  private ObjectNode describe(JsonNode request) {
    describes.incrementAndGet();
    StandInExport e = exports.get(ExportRequests.required(request, "ExportArn"));
    if (e == null) {
      throw new AwsError("ExportNotFoundException", "Export not found: " + request.get("ExportArn").asText());
    }
    synchronized (e) {
      if (e.status.equals("IN_PROGRESS") && --e.describesLeft <= 0) {
        e.endMillis = clock.get();
        if (e.failure.isPresent()) {
          e.status = "FAILED";
        } else {
          files.complete(e.bucket, e.arn, e.tableArn, e.prefix, e.files, e.startMillis, e.endMillis, e.exportMillis,
              e.incremental);
          e.status = "COMPLETED";
        }
      }
    }
    return JSON.createObjectNode().set("ExportDescription", e.description());
  }

  private ObjectNode list(JsonNode request) {
    String table = request.path("TableArn").asText(null);
    int max = request.path("MaxResults").asInt(25);
    int from = request.has("NextToken") ? Integer.parseInt(request.get("NextToken").asText()) : 0;
    List<StandInExport> matching;
    synchronized (order) {
      matching = order.stream().map(exports::get).filter(e -> table == null || table.equals(e.tableArn)).toList();
    }
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode summaries = answer.putArray("ExportSummaries");
    for (StandInExport e : matching.subList(Math.min(from, matching.size()), Math.min(from + max, matching.size()))) {
      summaries.addObject().put("ExportArn", e.arn).put("ExportStatus", e.status).put("ExportType", e.type());
    }
    if (from + max < matching.size()) {
      answer.put("NextToken", Integer.toString(from + max));
    }
    return answer;
  }

  @Override
  public void close() {
    changes.close();
    server.stop(0);
    threads.shutdownNow();
  }
}
