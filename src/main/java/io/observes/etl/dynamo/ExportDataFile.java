package io.observes.etl.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.observes.etl.dynamo.ExportManifest.DataFile;
import io.observes.storage.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One data file of an export, read lazily: gzip, one JSON object per line (JSON lines). When the
 * file ends, the lines read must be the manifest's {@code itemCount} and the MD5 of the gzip bytes
 * its {@code md5Checksum}; either mismatch is an error naming the file. A line longer than
 * {@link #MAX_LINE_BYTES} is refused: a DynamoDB item is at most 400 KB.
 */
public final class ExportDataFile {
  static final int MAX_LINE_BYTES = 16 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportDataFile() {}

  /** The items of a full export's file: each line is {@code {"Item": {<attribute values>}}}. */
  public static Stream<Map<String, AttributeValue>> items(ObjectStore store, DataFile file) {
    return lines(store, file, (line, where) -> {
      JsonNode item = line.get("Item");
      if (item == null || line.size() != 1) {
        throw new IllegalStateException(where + ": a line of a full export is {\"Item\": {...}}, not an object with "
            + "fields " + fieldNames(line));
      }
      return DynamoJson.item(item, where + " Item");
    });
  }

  /** Each line of {@code file} as JSON, parsed by {@code parse(line, "<file> line <n>")}. */
  public static <T> Stream<T> lines(ObjectStore store, DataFile file, BiFunction<JsonNode, String, T> parse) {
    Lines<T> lines = new Lines<>(store, file, parse);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(lines::close);
  }

  private static final class Lines<T> implements Iterator<T> {
    private final ObjectStore store;
    private final DataFile file;
    private final BiFunction<JsonNode, String, T> parse;
    private final byte[] buffer = new byte[64 << 10];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private DigestInputStream raw;
    private InputStream gzip;
    private int start;
    private int end;
    private long read;
    private T next;
    private boolean done;

    Lines(ObjectStore store, DataFile file, BiFunction<JsonNode, String, T> parse) {
      this.store = store;
      this.file = file;
      this.parse = parse;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T value = next;
      next = null;
      return value;
    }

    private T advance() {
      try {
        if (raw == null) {
          raw = new DigestInputStream(store.open(file.uri()), MessageDigest.getInstance("MD5"));
          java.io.PushbackInputStream first = new java.io.PushbackInputStream(raw, 1);
          int b = first.read();
          if (b < 0) {
            // AWS writes an empty file for an empty partition: no gzip member at all.
            gzip = InputStream.nullInputStream();
          } else {
            first.unread(b);
            gzip = new GZIPInputStream(first, buffer.length);
          }
        }
        while (true) {
          byte[] bytes = nextLine();
          if (bytes == null) {
            finish();
            return null;
          }
          if (bytes.length == 0) {
            continue;
          }
          read++;
          String where = file.uri() + " line " + read;
          JsonNode node;
          try {
            node = JSON.readTree(bytes);
          } catch (IOException e) {
            throw new IllegalStateException(where + " is not valid JSON: " + e.getMessage(), e);
          }
          if (node == null || !node.isObject()) {
            throw new IllegalStateException(where + " is not a JSON object");
          }
          return parse.apply(node, where);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file.uri() + " (gzip JSON lines): " + e.getMessage(), e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The next line without its end, or null at the end of the file. */
    private byte[] nextLine() throws IOException {
      line.reset();
      while (true) {
        if (start == end) {
          end = gzip.read(buffer, 0, buffer.length);
          start = 0;
          if (end <= 0) {
            end = 0;
            return line.size() > 0 ? line.toByteArray() : null;
          }
        }
        int newline = start;
        while (newline < end && buffer[newline] != '\n') {
          newline++;
        }
        line.write(buffer, start, newline - start);
        if (line.size() > MAX_LINE_BYTES) {
          throw new IllegalStateException(file.uri() + " line " + (read + 1) + " is longer than " + (MAX_LINE_BYTES >> 20)
              + " MiB; a DynamoDB item is at most 400 KB");
        }
        start = newline < end ? newline + 1 : newline;
        if (newline < end) {
          return line.toByteArray();
        }
      }
    }

    private void finish() throws IOException {
      done = true;
      // The checksum covers the stored gzip bytes, to their very end.
      raw.transferTo(java.io.OutputStream.nullOutputStream());
      String md5 = Base64.getEncoder().encodeToString(raw.getMessageDigest().digest());
      close();
      if (read != file.itemCount()) {
        throw new IllegalStateException(file.uri() + " holds " + read + " items but the export's manifest says "
            + file.itemCount() + "; the export is damaged or not the one described: export again");
      }
      if (!md5.equals(file.md5())) {
        throw new IllegalStateException(file.uri() + " has MD5 " + md5 + " but the export's manifest says " + file.md5()
            + "; the file is damaged or was replaced: export again");
      }
    }

    void close() {
      try {
        if (gzip != null) {
          gzip.close();
        }
        if (raw != null) {
          raw.close();
        }
      } catch (IOException e) {
        // closing a read stream: nothing to keep
      }
    }
  }

  private static String fieldNames(JsonNode node) {
    StringBuilder names = new StringBuilder("[");
    node.fieldNames().forEachRemaining(n -> names.append(names.length() > 1 ? ", " : "").append(n.length() > 40 ? n.substring(0, 40) : n));
    return names.append("]").toString();
  }
}
