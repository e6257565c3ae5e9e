package io.observes.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 side of {@link ExportStandIn}: an export's {@code _started} marker and gzip JSON-lines data
 * files under {@code <prefix>/AWSDynamoDB/<id>/data/}, then, when it completes, its
 * {@code manifest-files.json} (one line per data file) and {@code manifest-summary.json}, with the
 * fields of AWS's "DynamoDB table export output format" page. The lines are whatever the export
 * holds ({@code {"Item": ...}} for a full export), so an incremental export can be written the same way.
 */
final class ExportFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  record DataFile(String key, long items, String md5, String etag) {}

  record Written(String directory, List<DataFile> files, long itemCount, long bytes) {}

  private final S3Client s3;

  ExportFiles(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * Writes {@code lines} into {@code files} data files (a line goes to the file its hash picks, as an
   * item goes to its partition). A file that gets no line is written empty, with no gzip member at
   * all, as AWS writes an empty partition's file.
   */
  Written write(String bucket, String directory, String dataDirectory, List<ObjectNode> lines, int files) {
    put(bucket, directory + "_started", new byte[0]);
    List<List<String>> parts = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      parts.add(new ArrayList<>());
    }
    for (ObjectNode line : lines) {
      String text = line.toString();
      parts.get(Math.floorMod(text.hashCode(), files)).add(text);
    }
    List<DataFile> written = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < files; i++) {
      byte[] gzip = parts.get(i).isEmpty() ? new byte[0] : gzip(parts.get(i));
      String key = dataDirectory + name(directory, i) + ".json.gz";
      String etag = put(bucket, key, gzip);
      written.add(new DataFile(key, parts.get(i).size(), Base64.getEncoder().encodeToString(md5(gzip)), etag));
      bytes += gzip.length;
    }
    return new Written(directory, written, lines.size(), bytes);
  }

  /** The manifests, written when the export completes: the files manifest first, the summary naming it last. */
  void complete(String bucket, String arn, String tableArn, String prefix, Written written, long start, long end,
      long exportTime, ObjectNode incremental) {
    StringBuilder filesManifest = new StringBuilder();
    for (DataFile file : written.files()) {
      ObjectNode line = JSON.createObjectNode().put("itemCount", file.items()).put("md5Checksum", file.md5())
          .put("etag", file.etag()).put("dataFileS3Key", file.key());
      filesManifest.append(line).append('\n');
    }
    put(bucket, written.directory() + "manifest-files.json", filesManifest.toString().getBytes(StandardCharsets.UTF_8));
    ObjectNode summary = JSON.createObjectNode().put("version", "2020-06-30").put("exportArn", arn)
        .put("startTime", Instant.ofEpochMilli(start).toString()).put("endTime", Instant.ofEpochMilli(end).toString())
        .put("tableArn", tableArn).put("tableId", "stand-in-" + tableArn.hashCode())
        .put("exportTime", Instant.ofEpochMilli(exportTime).toString()).put("s3Bucket", bucket).put("s3Prefix", prefix)
        .put("s3SseAlgorithm", "AES256").putNull("s3SseKmsKeyId")
        .put("manifestFilesS3Key", written.directory() + "manifest-files.json").put("billedSizeBytes", written.bytes())
        .put("itemCount", written.itemCount()).put("outputFormat", "DYNAMODB_JSON");
    if (incremental != null) {
      summary.put("exportType", "INCREMENTAL_EXPORT").put("outputView", incremental.get("ExportViewType").asText())
          .put("exportFromTime", Instant.ofEpochMilli(incremental.get("ExportFromTime").decimalValue().movePointRight(3)
              .longValue()).toString())
          .put("exportToTime", Instant.ofEpochMilli(exportTime).toString());
    }
    put(bucket, written.directory() + "manifest-summary.json", summary.toString().getBytes(StandardCharsets.UTF_8));
  }

  private String put(String bucket, String key, byte[] bytes) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)).eTag().replace("\"", "");
  }

  private static byte[] gzip(List<String> lines) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      for (String line : lines) {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** 26 characters of lower-case base32, like the names AWS gives data files. */
  private static String name(String directory, int index) {
    byte[] hash = md5((directory + index).getBytes(StandardCharsets.UTF_8));
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < 26; i++) {
      name.append(alphabet.charAt((hash[i % hash.length] & 0xff) >> 3 ^ i % 32));
    }
    return name.toString();
  }

  static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
