package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.pipeline.Segment;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The data files of a completed export, from its {@code manifest-summary.json} and
 * {@code manifest-files.json} (one JSON object per line: {@code itemCount}, {@code md5Checksum},
 * {@code etag}, {@code dataFileS3Key}). The manifests are read as hostile input: each file must lie
 * in the export's data folder (a full export's own {@code data/}, an incremental export's shared
 * {@code <prefix>/AWSDynamoDB/data/}) with a plain name, no file may be named twice, and the
 * files' item counts must add up to the summary's.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html">export output format</a>
 */
public record ExportManifest(TableExport export, long itemCount, List<DataFile> files) {
  /** At most this many bytes of a manifest are read (a manifest line is about 200 bytes). */
  static final int MAX_MANIFEST_BYTES = 64 << 20;
  /** A data file's name under {@code data/}: DynamoDB names them like {@code vajn3deidy4svdja3fgej2ynay.json.gz}. */
  private static final Pattern DATA_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}\\.json\\.gz");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One data file as the manifest lists it; {@code md5} is the base64 MD5 of its gzip bytes. */
  public record DataFile(int index, S3Uri uri, long itemCount, String md5, String etag) {
    public DataFile {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(md5, "md5");
    }
  }

  public ExportManifest {
    Objects.requireNonNull(export, "export");
    files = List.copyOf(files);
  }

  /** Reads and checks both manifests of the full export {@code export}. */
  public static ExportManifest read(ObjectStore store, TableExport export) {
    return read(store, export, export.directory() + "data/", summary -> {
      String type = summary.path("exportType").asText("FULL_EXPORT");
      if (!type.equals("FULL_EXPORT")) {
        throw invalid(export.manifest(), "its exportType is '" + printable(type) + "', not FULL_EXPORT");
      }
    });
  }

  /**
   * Reads and checks both manifests of the incremental export {@code incremental}: its data files lie
   * in the prefix's shared {@code AWSDynamoDB/data/} folder (where DynamoDB writes every incremental
   * export's files), and the summary must say INCREMENTAL_EXPORT over the very window that was asked.
   */
  public static ExportManifest read(ObjectStore store, IncrementalExport incremental) {
    TableExport export = incremental.export();
    return read(store, export, TableExport.sharedData(export.prefix()), summary -> {
      S3Uri uri = export.manifest();
      String type = summary.path("exportType").asText("");
      if (!type.equals("INCREMENTAL_EXPORT")) {
        throw invalid(uri, "its exportType is '" + printable(type) + "', not INCREMENTAL_EXPORT");
      }
      for (String[] edge : new String[][] {{"exportFromTime", incremental.window().from().toString()},
          {"exportToTime", incremental.window().to().toString()}}) {
        String text = summary.path(edge[0]).asText("");
        Instant at;
        try {
          at = Instant.parse(text);
        } catch (DateTimeParseException e) {
          throw invalid(uri, "its " + edge[0] + " '" + printable(text) + "' is not a time");
        }
        if (!at.equals(Instant.parse(edge[1]))) {
          throw invalid(uri, "its " + edge[0] + " is " + at + ", but the export was asked for " + edge[1]);
        }
      }
    });
  }

  private static ExportManifest read(ObjectStore store, TableExport export, String dataFolder,
      Consumer<JsonNode> checkSummary) {
    S3Uri summaryUri = export.manifest();
    JsonNode summary = parse(bounded(store, summaryUri), summaryUri, "manifest summary");
    String arn = summary.path("exportArn").asText(null);
    if (!export.arn().equals(arn)) {
      throw invalid(summaryUri, "it is the manifest of export " + arn + ", not of " + export.arn());
    }
    String format = summary.path("outputFormat").asText("");
    if (!format.equals("DYNAMODB_JSON")) {
      throw invalid(summaryUri, "its outputFormat is '" + format + "'; Observes reads DYNAMODB_JSON exports only");
    }
    String filesKey = summary.path("manifestFilesS3Key").asText("");
    if (!filesKey.equals(export.filesManifest().key())) {
      throw invalid(summaryUri, "its manifestFilesS3Key '" + filesKey + "' is not " + export.filesManifest().key()
          + ", in the export's own folder");
    }
    checkSummary.accept(summary);
    long total = count(summary.path("itemCount"), summaryUri, "itemCount");

    S3Uri filesUri = export.filesManifest();
    String text = new String(bounded(store, filesUri), StandardCharsets.UTF_8);
    List<DataFile> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long sum = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String where = filesUri + " line " + (i + 1);
      JsonNode line = parse(lines[i].getBytes(StandardCharsets.UTF_8), filesUri, "files manifest line " + (i + 1));
      String key = line.path("dataFileS3Key").asText("");
      if (!key.startsWith(dataFolder) || !DATA_NAME.matcher(key.substring(dataFolder.length())).matches()) {
        throw new IllegalStateException(where + ": the data file '" + printable(key) + "' is not a plain "
            + "<name>.json.gz in the export's data folder " + dataFolder + "; refusing to read it");
      }
      if (!seen.add(key)) {
        throw new IllegalStateException(where + ": the data file " + key + " is listed twice");
      }
      long items = count(line.path("itemCount"), filesUri, "line " + (i + 1) + " itemCount");
      String md5 = line.path("md5Checksum").asText("");
      if (!isMd5(md5)) {
        throw new IllegalStateException(where + ": md5Checksum '" + printable(md5) + "' is not a base64 MD5");
      }
      files.add(new DataFile(files.size(), new S3Uri(export.bucket(), key), items, md5, line.path("etag").asText(null)));
      sum += items;
    }
    if (sum != total) {
      throw invalid(summaryUri, "its itemCount is " + total + " but the data files listed in " + filesUri + " hold " + sum);
    }
    return new ExportManifest(export, total, files);
  }

  /**
   * The files {@code segment} reads: file i (in manifest order) goes to segment i mod total, so every
   * file is read by exactly one segment of a run, whichever node runs it and however often.
   */
  public List<DataFile> of(Segment segment) {
    return IntStream.range(0, files.size()).filter(i -> i % segment.total() == segment.index())
        .mapToObj(files::get).toList();
  }

  private static byte[] bounded(ObjectStore store, S3Uri uri) {
    try (InputStream in = store.open(uri)) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new IllegalStateException(uri + " is larger than " + (MAX_MANIFEST_BYTES >> 20) + " MiB; not a manifest "
            + "Observes reads");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(byte[] bytes, S3Uri uri, String what) {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw invalid(uri, what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw invalid(uri, what + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  private static long count(JsonNode node, S3Uri uri, String field) {
    if (!node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 0) {
      throw invalid(uri, field + " is not a count of items: " + node);
    }
    return node.longValue();
  }

  private static boolean isMd5(String text) {
    try {
      return Base64.getDecoder().decode(text).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }

  private static IllegalStateException invalid(S3Uri uri, String why) {
    return new IllegalStateException(uri + " is not a manifest of a DynamoDB export Observes can read: " + why);
  }
}
