package io.observes.bench;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A JSON-lines file (one JSON object per line, nested objects and lists) as a lazy stream of
 * records of one stream, each keyed by its {@code id} field when it has one, else by its line
 * number. Any data set, also one a peer tool is measured on, can so be run through the pipeline.
 */
record JsonlInput(Path file, String stream) {
  long bytes() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The records, parsed as they are read; {@code lines} counts them. Each line is parsed from its
   * UTF-8 bytes, as the DynamoDB export reader reads its JSON lines: decoding the file into strings
   * first and then parsing their characters took a fifth of the stage step (JFR).
   */
  Stream<SourceRecord> records(AtomicLong lines) {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Iterator<SourceRecord> records = new Iterator<>() {
      private final Utf8Lines reader = new Utf8Lines(in);
      private SourceRecord next;

      @Override
      public boolean hasNext() {
        while (next == null && reader.next()) {
          if (!reader.isBlank()) {
            next = record(reader.bytes(), reader.start(), reader.length(), lines.incrementAndGet());
          }
        }
        return next != null;
      }

      @Override
      public SourceRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        SourceRecord record = next;
        next = null;
        return record;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(() -> {
          try {
            in.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private SourceRecord record(byte[] bytes, int start, int length, long n) {
    Value value = JsonValues.parse(bytes, start, length);
    if (!(value instanceof Value.Obj record)) {
      throw new IllegalArgumentException(file + " line " + n + " is not a JSON object");
    }
    Value id = record.fields().get("id");
    String key = id instanceof Value.Text t ? t.value() : id instanceof Value.Numeric num ? num.text() : Long.toString(n);
    return new SourceRecord(stream, List.of(key), record);
  }

  /** The lines of a stream of bytes, each without its '\n', in a buffer that grows for a longer line. */
  private static final class Utf8Lines {
    private final InputStream in;
    private byte[] buffer = new byte[1 << 20];
    private int filled;
    private int start;
    private int end = -1;
    private boolean eof;

    Utf8Lines(InputStream in) {
      this.in = in;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() {
      start = end + 1;
      while (true) {
        for (int i = start; i < filled; i++) {
          if (buffer[i] == '\n') {
            end = i;
            return true;
          }
        }
        if (eof) {
          end = filled;
          return start < filled;
        }
        fill();
      }
    }

    private void fill() {
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, filled - start);
        filled -= start;
        start = 0;
      }
      if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      try {
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Only spaces, tabs and line ends, as a blank line of JSON lines is. */
    boolean isBlank() {
      for (int i = start; i < end; i++) {
        byte b = buffer[i];
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return true;
    }

    byte[] bytes() {
      return buffer;
    }

    int start() {
      return start;
    }

    int length() {
      return end - start;
    }
  }

  /** Writes {@code n} generated records as JSON lines (once: an existing file is reused). */
  static JsonlInput generated(Path file, int n, long seed) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      VulnerabilityGenerator generator = new VulnerabilityGenerator(seed);
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        for (int i = 0; i < n; i++) {
          out.write(JsonValues.toJson(generator.record(i).value()));
          out.write('\n');
        }
      }
      Files.move(partial, file);
    }
    return new JsonlInput(file, VulnerabilityGenerator.STREAM);
  }

  /** The records dealt round-robin into {@code n} files under {@code dir} (written once), one per segment. */
  List<JsonlInput> split(int n, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      files.add(dir.resolve("segment-" + i + ".jsonl"));
    }
    if (!Files.exists(files.get(n - 1))) {
      List<BufferedWriter> out = new java.util.ArrayList<>();
      try {
        for (Path f : files) {
          out.add(Files.newBufferedWriter(f, StandardCharsets.UTF_8));
        }
        long line = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (!l.isBlank()) {
              BufferedWriter w = out.get((int) (line++ % n));
              w.write(l);
              w.write('\n');
            }
          }
        }
      } finally {
        for (BufferedWriter w : out) {
          w.close();
        }
      }
    }
    return files.stream().map(f -> new JsonlInput(f, stream)).toList();
  }
}
