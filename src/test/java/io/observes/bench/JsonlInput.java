package io.observes.bench;

import io.observes.pipeline.SourceRecord;
import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.Value;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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

  /** The records, parsed as they are read; {@code lines} counts them. */
  Stream<SourceRecord> records(AtomicLong lines) {
    BufferedReader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return reader.lines().filter(l -> !l.isBlank()).map(line -> {
      long n = lines.incrementAndGet();
      Value value = JsonValues.parse(line);
      if (!(value instanceof Value.Obj record)) {
        throw new IllegalArgumentException(file + " line " + n + " is not a JSON object");
      }
      Value id = record.fields().get("id");
      String key = id instanceof Value.Text t ? t.value() : id instanceof Value.Numeric num ? num.text() : Long.toString(n);
      return new SourceRecord(stream, List.of(key), record);
    }).onClose(() -> {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
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
